"""The operators' console in a real browser: Debian's chromium, headless, driven by selenium through
Debian's chromedriver (nothing is downloaded). Called by ConsoleBrowserTests.swift with a running
`nightjar serve`:

    console_browser.py BASE_URL ACCOUNT PASSWORD RUN JOB ENDED_RUN BATCH OUTPUT_DIR VIEWER

Logs in through the form, opens the run, opens the job, holds it with a reason, sees it held on the
run page, releases it, sees it waiting again, sees a hold made in another tab appear on the run page without a reload;
then visits the job log, calendars, spool and a batch,
alerts (following an alert to its run) and the audit trail (where the hold is, with its reason); then
logs in as VIEWER (same password): the run and job pages without action buttons, and 403 from the hold URL.
Screenshots at 1366x768 (whole pages): OUTPUT_DIR/run.png, run-held.png, run-ended.png, job-log.png, calendars.png,
calendar.png, spool.png, batch.png, alerts.png, audit.png, run-viewer.png. Exits non-zero with a sentence on the
first thing that is not as expected.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the Swift targets' folders
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "LiveHTTP"))
from nightjar_browser import chrome, failer, log_in, screenshot  # noqa: E402

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


fail = failer("console_browser")


def row_text(driver, job):
    return driver.find_element(By.ID, f"job-{job}").text


def main():
    base, account, password, run, job, ended, batch, out, viewer = sys.argv[1:10]
    driver = chrome()
    try:
        wait = WebDriverWait(driver, 20)
        driver.get(f"{base}/login")
        log_in(driver, account, password)
        wait.until(lambda d: "/login" not in d.current_url)

        driver.get(f"{base}/runs/{run}")
        wait.until(EC.presence_of_element_located((By.ID, f"job-{job}")))
        if "保留中" in row_text(driver, job):
            fail(f"{job} is held before anyone held it")
        # Nothing may overflow the window sideways at 1366 px.
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 1366:
            fail(f"the run page is {width} px wide at a 1366 px window")
        screenshot(driver, os.path.join(out, "run.png"))

        driver.find_element(By.CSS_SELECTOR, f'#job-{job} a[href^="/runs/{run}/jobs/{job}"]').click()
        wait.until(EC.presence_of_element_located((By.ID, "hold")))
        form = driver.find_element(By.ID, "hold").find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.NAME, "reason").send_keys("媒体の到着待ち (browser test)")
        driver.find_element(By.ID, "hold").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok")))
        if f"/runs/{run}" not in driver.current_url:
            fail(f"after hold the browser is at {driver.current_url}, not the run page")
        if "保留中" not in row_text(driver, job):
            fail(f"after hold the row of {job} says {row_text(driver, job)!r}")
        screenshot(driver, os.path.join(out, "run-held.png"))

        driver.find_element(By.CSS_SELECTOR, f'#job-{job} a[href^="/runs/{run}/jobs/{job}"]').click()
        wait.until(EC.presence_of_element_located((By.ID, "release")))
        form = driver.find_element(By.ID, "release").find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.NAME, "reason").send_keys("媒体が届いた")
        driver.find_element(By.ID, "release").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok")))
        if "保留中" in row_text(driver, job):
            fail(f"after release the row of {job} still says {row_text(driver, job)!r}")

        # Live: the run page shows a change made elsewhere (a hold from another tab) without a reload.
        first = driver.current_window_handle
        driver.execute_script("document.documentElement.dataset.marker = 'not reloaded'")
        driver.switch_to.new_window("tab")
        driver.get(f"{base}/runs/{run}/jobs/{job}")
        wait.until(EC.presence_of_element_located((By.ID, "hold")))
        form = driver.find_element(By.ID, "hold").find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.NAME, "reason").send_keys("別の端末から (browser test)")
        driver.find_element(By.ID, "hold").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok")))
        driver.close()
        driver.switch_to.window(first)
        wait.until(lambda d: "保留中" in row_text(d, job))
        if driver.execute_script("return document.documentElement.dataset.marker") != "not reloaded":
            fail("the run page was reloaded instead of following the change")
        driver.get(f"{base}/runs/{run}/jobs/{job}")
        wait.until(EC.presence_of_element_located((By.ID, "release")))
        form = driver.find_element(By.ID, "release").find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.NAME, "reason").send_keys("戻す")
        driver.find_element(By.ID, "release").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok")))

        driver.get(f"{base}/runs/{ended}")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'a[href*="#log"]')))
        screenshot(driver, os.path.join(out, "run-ended.png"))
        # The log of the job that failed, if the run has one called load; else the first log.
        links = driver.find_elements(By.CSS_SELECTOR, '#job-load a[href*="#log"]') or driver.find_elements(By.CSS_SELECTOR, 'a[href*="#log"]')
        links[0].click()
        wait.until(EC.presence_of_element_located((By.ID, "log")))
        if not driver.find_element(By.ID, "log").text.strip():
            fail("the job page shows an empty log for a job that wrote output")
        screenshot(driver, os.path.join(out, "job-log.png"))

        driver.get(f"{base}/calendars")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.month")))
        driver.get(f"{base}/calendars?from=2026-12-28&to=2027-01-05")
        wait.until(EC.presence_of_element_located((By.ID, "plan-table")))
        screenshot(driver, os.path.join(out, "calendars.png"))
        driver.get(f"{base}/calendars/standard?month=2026-12")
        table = wait.until(EC.presence_of_element_located((By.ID, "closed-days")))
        if "年末年始" not in table.text:
            fail("the standard calendar of December 2026 does not give 年末年始 as a reason")
        screenshot(driver, os.path.join(out, "calendar.png"))

        driver.get(f"{base}/spool")
        wait.until(EC.presence_of_element_located((By.ID, "batches")))
        screenshot(driver, os.path.join(out, "spool.png"))
        driver.get(f"{base}/spool/batches/{batch}")
        wait.until(EC.presence_of_element_located((By.ID, "history")))
        screenshot(driver, os.path.join(out, "batch.png"))

        driver.get(f"{base}/alerts")
        link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#alerts a[href^="/runs/{ended}"]')))
        screenshot(driver, os.path.join(out, "alerts.png"))
        link.click()
        wait.until(EC.url_contains(f"/runs/{ended}"))

        driver.get(f"{base}/audit?action=hold")
        table = wait.until(EC.presence_of_element_located((By.ID, "audit")))
        if "媒体の到着待ち" not in table.text:
            fail("the audit trail filtered to hold does not show the browser's reason")
        driver.get(f"{base}/audit")
        wait.until(EC.presence_of_element_located((By.ID, "audit")))
        screenshot(driver, os.path.join(out, "audit.png"))

        # A viewer: the same pages without the buttons, and 403 from an action URL all the same.
        driver.delete_all_cookies()
        driver.get(f"{base}/login")
        log_in(driver, viewer, password)
        wait.until(lambda d: "/login" not in d.current_url)
        driver.get(f"{base}/runs/{run}")
        wait.until(EC.presence_of_element_located((By.ID, f"job-{job}")))
        buttons = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "main form button")]
        if buttons:
            fail(f"a viewer sees action buttons on the run page: {buttons}")
        screenshot(driver, os.path.join(out, "run-viewer.png"))
        driver.get(f"{base}/runs/{run}/jobs/{job}")
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        buttons = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "main form button")]
        if buttons:
            fail(f"a viewer sees action buttons on the job page: {buttons}")
        status = driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch(arguments[0], { method: "POST", credentials: "same-origin", body: new URLSearchParams({ reason: "viewer" }) })
              .then(function (r) { done(r.status); }).catch(function (e) { done(String(e)); });
            """, f"/runs/{run}/jobs/{job}/hold")
        if status != 403:
            fail(f"a viewer's POST to the hold URL answered {status}, not 403")
        print("console_browser: ok")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
