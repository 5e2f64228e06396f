"""The vendor portal in a real browser: Debian's chromium, headless, driven by selenium through
Debian's chromedriver (nothing is downloaded). Called by PortalBrowserTests.swift with a running
`nightjar serve`:

    portal_browser.py BASE_URL ACCOUNT PASSWORD BATCH OUTPUT_DIR

Logs in through the form, opens the batch list and the batch, downloads the manifest and checks its
SHA-256 against the one the page shows, presses "received" and expects the collected state.
Screenshots: OUTPUT_DIR/login.png, batches.png, batch.png, received.png. Exits non-zero with a
sentence on the first thing that is not as expected.
"""
import hashlib
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the Swift targets' folders
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "LiveHTTP"))
from nightjar_browser import chrome, failer, log_in, screenshot  # noqa: E402

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


fail = failer("portal_browser")


def main():
    base, account, password, batch, out = sys.argv[1:6]
    downloads = os.path.join(out, "downloads")
    os.makedirs(downloads, exist_ok=True)
    driver = chrome(window="1366,900", downloads=downloads)
    try:
        wait = WebDriverWait(driver, 20)

        driver.get(f"{base}/login")
        screenshot(driver, os.path.join(out, "login.png"))
        if "nil" in driver.find_element(By.TAG_NAME, "body").text:
            fail("the login page shows 'nil'")
        log_in(driver, account, password)
        wait.until(EC.url_contains("/vendor"))
        link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f'a[href^="/vendor/batches/{batch}"]')))
        if "回収待ち" not in driver.page_source:
            fail("the batch list does not show the batch as ready for collection (回収待ち)")
        screenshot(driver, os.path.join(out, "batches.png"))

        link.click()
        wait.until(EC.presence_of_element_located((By.ID, "received")))
        expected = driver.find_element(By.CSS_SELECTOR, 'code[data-file="manifest.csv"]').text.strip()
        screenshot(driver, os.path.join(out, "batch.png"))
        for a in driver.find_elements(By.CSS_SELECTOR, "a.dl"):
            if a.get_attribute("href").endswith("/files/manifest.csv"):
                a.click()
                break
        else:
            fail("the batch page has no download link for manifest.csv")
        target = os.path.join(downloads, "manifest.csv")
        deadline = time.time() + 30
        while time.time() < deadline and not (os.path.exists(target) and not os.path.exists(target + ".crdownload")):
            time.sleep(0.1)
        if not os.path.exists(target):
            fail(f"the download did not arrive in {downloads}: {os.listdir(downloads)}")
        with open(target, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != expected:
            fail(f"manifest.csv downloaded with SHA-256 {got}, the page shows {expected}")

        driver.find_element(By.ID, "received").click()
        status = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok")))
        if "受領を記録しました" not in status.text:
            fail(f"after 受領する the page says {status.text!r}")
        if driver.find_elements(By.ID, "received"):
            fail("the received button is still there after the batch was received")
        screenshot(driver, os.path.join(out, "received.png"))
        print(f"portal_browser: ok, manifest.csv {got}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
