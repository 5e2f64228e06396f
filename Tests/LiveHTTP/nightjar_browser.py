"""What the browser tests' scripts share (portal_browser.py, tonight_browser.py, console_browser.py):
Debian's chromium, headless, driven by selenium through Debian's chromedriver (nothing is downloaded),
whole-page screenshots, the login form, and a failure that says what was not as expected.
The scripts put this directory on sys.path and import it."""
import base64
import os
import sys

os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium-manager fetch a driver


def chrome(window="1366,768", downloads=None, browser_log=False):
    """A headless chromium in Japanese at `window` (width,height); `downloads`: where files are saved;
    `browser_log`: keep the console's messages for driver.get_log("browser")."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={window}", "--lang=ja"):
        opts.add_argument(arg)
    prefs = {"intl.accept_languages": "ja"}
    if downloads:
        prefs.update({"download.default_directory": downloads, "download.prompt_for_download": False})
    opts.add_experimental_option("prefs", prefs)
    if browser_log:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    if downloads:
        # Headless Chrome saves downloads only where it is told to.
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def screenshot(driver, path):
    """The whole page, not only the window (DevTools' capture beyond the viewport)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
    })
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def log_in(driver, account, password):
    """Fills the login form the browser is on and sends it."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.NAME, "name").send_keys(account)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def failer(script):
    """A fail(message) for `script`: the sentence on stderr, exit status 1."""
    def fail(message):
        print(f"{script}: {message}", file=sys.stderr)
        sys.exit(1)
    return fail
