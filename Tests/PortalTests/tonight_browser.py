"""The operators' console in a real browser: Debian's chromium, headless, driven by selenium through
Debian's chromedriver (nothing is downloaded). Called by TonightBrowserTests.swift in two steps:

    tonight_browser.py site ROOT            writes Jobs/ for a night around now (times relative to now)
    tonight_browser.py seed DB              records that night's history and tonight's runs in the state
    tonight_browser.py browse BASE ACCOUNT PASSWORD OUT NIGHTJAR ROOT STATE

`browse` logs in, opens Tonight (1366x768), checks the Gantt, holds a net with the CLI and waits for the
page to show it held WITHOUT a reload (the live update), opens a net's page, and writes screenshots:
OUT/tonight.png, OUT/tonight-held.png, OUT/net.png. Exits non-zero with a sentence on the first thing
that is not as expected.
"""
import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

sys.dont_write_bytecode = True  # no __pycache__ in the Swift targets' folders
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "LiveHTTP"))
from nightjar_browser import chrome, failer, log_in, screenshot  # noqa: E402

TOKYO = ZoneInfo("Asia/Tokyo")
# The night is laid out around "now": the business day starts six hours ago, so everything below falls
# on one business date whatever the hour of the test.
NOW = dt.datetime.now(TOKYO).replace(second=0, microsecond=0)
DAY_STARTS = NOW - dt.timedelta(hours=6)
BUSINESS_DATE = DAY_STARTS.date()


def at(minutes):
    """An instant `minutes` from now (negative: ago), as seconds since 1970."""
    return (NOW + dt.timedelta(minutes=minutes)).timestamp()


def hhmm(minutes):
    return (NOW + dt.timedelta(minutes=minutes)).strftime("%H:%M")


# net: (planned start in minutes from now or None, end deadline in minutes from now or None, after, jobs)
# jobs: name -> (needs, usual minutes)
NETS = {
    "registry-sync": (-185, -120, [], {"fetch": ([], 12), "verify": (["fetch"], 5)}),
    "resident-tax-nightly": (-160, 15, ["registry-sync"], {
        "extract": ([], 25), "assess": (["extract"], 55), "totals": (["assess"], 6),
        "render": (["assess"], 100), "hand-off": (["render"], 4), "notify": (["totals", "hand-off"], 1)}),
    "nhi-billing": (-130, 60, ["registry-sync"], {
        "insured": ([], 10), "premiums": (["insured"], 20), "billing-file": (["premiums"], 5), "checksum": (["billing-file"], 1)}),
    "fixed-asset-check": (-100, None, [], {"compare": ([], 15), "report": (["compare"], 5)}),
    "mailing": (None, None, [], {"address-changes": ([], 35), "labels": (["address-changes"], 3)}),
    "archive-logs": (75, 150, [], {"compress": ([], 12), "upload": (["compress"], 8)}),
}


def site(root):
    os.makedirs(os.path.join(root, "Jobs", "calendars"), exist_ok=True)
    with open(os.path.join(root, "Jobs", "calendars", "default.yaml"), "w") as f:
        f.write("weekends: []\nnational_holidays: false\nyear_end: false\n")
    for name, (planned, deadline, after, jobs) in NETS.items():
        lines = [f"name: {name}", f'business_day_starts: "{DAY_STARTS.strftime("%H:%M")}"']
        if planned is not None:
            lines += ["schedule:", f'  - at: "{hhmm(planned)}"']
        if deadline is not None:
            lines.append(f'end_deadline: "{hhmm(deadline)}"')
        if after:
            lines.append(f"after: [{', '.join(after)}]")
        lines += ["concurrency: 2", "jobs:"]
        for job, (needs, _) in jobs.items():
            lines.append(f"  {job}: {{ needs: [{', '.join(needs)}], run: [/bin/true] }}")
        with open(os.path.join(root, "Jobs", f"{name}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


def seed(db_path):
    random.seed(14)
    db = sqlite3.connect(db_path, timeout=30)
    c = db.cursor()
    # Each net's snapshot as the engine wrote it: TonightBrowserTests ran every net once for 1999-01-01
    # (jobs of /bin/true); those runs are then removed, leaving only the night recorded here.
    snapshots = dict(c.execute("SELECT net, definition FROM runs WHERE business_date = '1999-01-01'").fetchall())
    missing = [n for n in NETS if n not in snapshots]
    if missing:
        fail(f"no 1999-01-01 run of {missing} to take the snapshot from")
    old = "SELECT id FROM runs WHERE business_date = '1999-01-01'"
    for table in ("attempts", "jobs", "events"):
        c.execute(f"DELETE FROM {table} WHERE run_id IN ({old})")
    c.execute("DELETE FROM fires")
    c.execute("DELETE FROM alerts")
    c.execute(f"DELETE FROM runs WHERE id IN ({old})")

    def definition(net):
        return snapshots[net]

    def run(net, date, state, trigger, scheduled, created, started, ended, message=None):
        c.execute("INSERT INTO runs (net, business_date, state, trigger, definition, scheduled_at, created_at, started_at, ended_at, message)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?)", (net, date, state, trigger, definition(net), scheduled, created, started, ended, message))
        return c.lastrowid

    def job(run_id, name, state, started=None, ended=None, held=0, number=1):
        c.execute("INSERT INTO jobs (run_id, name, state, held, attempts, exit_code, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?)",
                  (run_id, name, state, held, 1 if started else 0, 0 if ended else None, started, ended))
        if started:
            verdict = {"normal": "normal", "warning": "warning", "abnormal": "abnormal"}.get(state)
            c.execute("INSERT INTO attempts (run_id, job, number, state, verdict, exit_code, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?)",
                      (run_id, name, number, "ended" if ended else "running", verdict, 0 if ended else None, started, ended))

    def walk(net, start, state_of=lambda j: "normal", stop=None):
        """The jobs of `net` from `start` (seconds), in dependency order, one after another per chain."""
        _, _, _, jobs = NETS[net]
        ends = {}
        for j, (needs, minutes) in jobs.items():
            s = max([start] + [ends[n] for n in needs])
            ends[j] = s + minutes * 60 * random.uniform(0.9, 1.1)
        return ends

    # Seven past nights of each net: normal, with the usual durations.
    for back in range(7, 0, -1):
        date = (BUSINESS_DATE - dt.timedelta(days=back)).isoformat()
        for net, (planned, _, _, jobs) in NETS.items():
            start = at((planned if planned is not None else -40) - back * 1440)
            ends = walk(net, start)
            rid = run(net, date, "normal", "schedule", start, start, start, max(ends.values()), f"{len(jobs)} normal")
            for j, (needs, _) in jobs.items():
                s = max([start] + [ends[n] for n in needs])
                job(rid, j, "normal", s, ends[j])

    today = BUSINESS_DATE.isoformat()
    # registry-sync: ended normally.
    start = at(-185)
    rid = run("registry-sync", today, "normal", "schedule", start, start, start, at(-168), "2 normal")
    job(rid, "fetch", "normal", start, at(-173))
    job(rid, "verify", "normal", at(-173), at(-168))
    # resident-tax-nightly: running, render in progress: predicted past its end deadline.
    start = at(-160)
    rid = run("resident-tax-nightly", today, "running", "schedule", start, start, at(-159), None)
    job(rid, "extract", "normal", at(-159), at(-133))
    job(rid, "assess", "normal", at(-133), at(-76))
    job(rid, "totals", "normal", at(-76), at(-70))
    job(rid, "render", "running", at(-76))
    job(rid, "hand-off", "waiting")
    job(rid, "notify", "waiting")
    # nhi-billing: premiums ended abnormally; what needs it did not run.
    start = at(-130)
    rid = run("nhi-billing", today, "abnormal", "schedule", start, start, at(-129), at(-104), "2 normal... 1 abnormal, 2 not-run")
    job(rid, "insured", "normal", at(-129), at(-119))
    job(rid, "premiums", "abnormal", at(-119), at(-104))
    job(rid, "billing-file", "not-run")
    job(rid, "checksum", "not-run")
    # fixed-asset-check: ended with a warning.
    start = at(-100)
    rid = run("fixed-asset-check", today, "warning", "schedule", start, start, start, at(-79), "1 normal, 1 warning")
    job(rid, "compare", "normal", start, at(-85))
    job(rid, "report", "warning", at(-85), at(-79))
    # mailing: started by hand, its file has not arrived; labels held by an operator.
    start = at(-25)
    rid = run("mailing", today, "running", "manual", None, start, start, None)
    job(rid, "address-changes", "running", start)
    job(rid, "labels", "waiting", held=1)
    c.execute("INSERT INTO events (at, run_id, job, kind, detail) VALUES (?, NULL, NULL, 'seed', 'console test night')", (at(0),))
    db.commit()
    db.close()


fail = failer("tonight_browser")


def browse(base, account, password, out, nightjar, root, state):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chrome(browser_log=True)
    try:
        wait = WebDriverWait(driver, 20)
        driver.get(f"{base}/tonight")
        wait.until(EC.url_contains("/login"))   # no session: the login form
        log_in(driver, account, password)
        wait.until(EC.url_contains("/tonight"))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#live svg")))
        src = driver.page_source
        for net, state_word in [("registry-sync", "normal"), ("resident-tax-nightly", "running"), ("nhi-billing", "abnormal"),
                                ("fixed-asset-check", "warning"), ("mailing", "held"), ("archive-logs", "planned")]:
            if f'data-net="{net}" data-state="{state_word}"' not in src:
                fail(f"Tonight does not show {net} as {state_word}")
        if "遅延見込み" not in src:
            fail("Tonight does not warn that resident-tax-nightly is predicted past its end deadline")
        # Readable at 1366x768: the chart fits the window's width (no horizontal scrolling).
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 1366:
            fail(f"the page is {width} px wide at a 1366 px window")
        screenshot(driver, os.path.join(out, "tonight.png"))

        # A change made elsewhere (the CLI) shows up without a reload.
        driver.execute_script("document.documentElement.setAttribute('data-marker', 'same-page')")
        env = dict(os.environ, NIGHTJAR_STATE=state, NIGHTJAR_USER="console-test")
        r = subprocess.run([nightjar, "hold", "archive-logs", "--reason", "disk check first", "--root", root], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"nightjar hold failed: {r.stderr}")
        try:
            WebDriverWait(driver, 15).until(
                lambda d: 'data-net="archive-logs" data-state="held"' in d.page_source)
        except Exception:
            fail("the held net did not show on Tonight within 15 s without a reload")
        if driver.execute_script("return document.documentElement.getAttribute('data-marker')") != "same-page":
            fail("the page was reloaded instead of updated")
        screenshot(driver, os.path.join(out, "tonight-held.png"))
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and "favicon.ico" not in e.get("message", "")]
        if errors:
            fail(f"the browser reported errors: {errors}")

        driver.find_element(By.CSS_SELECTOR, 'a[href^="/nets/resident-tax-nightly"]').click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "svg g.job")))
        src = driver.page_source
        for job, state_word in [("assess", "normal"), ("render", "running"), ("notify", "waiting")]:
            if f'data-job="{job}" data-state="{state_word}"' not in src:
                fail(f"the net page does not show {job} as {state_word}")
        screenshot(driver, os.path.join(out, "net.png"))
        print("tonight_browser: ok")
    finally:
        driver.quit()


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "site":
        site(sys.argv[2])
    elif what == "seed":
        seed(sys.argv[2])
    elif what == "browse":
        browse(*sys.argv[2:9])
    else:
        fail(f"unknown step {what}")
