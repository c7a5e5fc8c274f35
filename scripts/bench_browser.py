"""The Chromium part of `make bench` (scripts/bench.py), against a running server.

Debian's /usr/bin/chromium, launched as the browser tests launch it (tests/browser/conftest.py),
through Playwright; no browser is downloaded. Logs in through the login form, then:

- first load: a fresh browser context (empty HTTP cache, no service worker) carrying only the
  session cookie opens today's page; the response headers and bodies as sent (gzipped where
  the server gzips: Playwright's request sizes, Chromium's encoded sizes) of every request the
  page made and of the service worker's script are summed; what the worker then fetches in the
  background for offline use is reported apart;
- inline edit: on a day page, once the worker's offline warm-up after the login is over, in the
  page itself (performance.now(), a MutationObserver): click Edit → the form is in the page →
  set the title and click Save → the entry shows the new title; `runs` times after 3 untimed,
  then `runs` / 2 times with the service worker stopped first (reported apart);
- offline reload: a week page the service worker has kept, reloaded `runs` times with the
  network off; the navigation's `loadEventEnd` (and `responseEnd`, printed).
"""

import shutil
import statistics
import time

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
CONTEXT = {"locale": "ja-JP", "timezone_id": "Asia/Tokyo"}

WAIT_CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  const sw = navigator.serviceWorker;
  if (!sw.controller)
    await new Promise(r => sw.addEventListener('controllerchange', r, {once: true}));
}"""
WAIT_KEPT = """async (path) => {
  for (let i = 0; i < 200; i++) {
    for (const name of await caches.keys())
      if (name.startsWith('pages-') && await (await caches.open(name)).match(path)) return true;
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}"""
NAVIGATION = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {response: n.responseEnd - n.startTime, load: n.loadEventEnd - n.startTime}; }"""
# One inline edit, timed in the page: {open, save, total} in ms.
EDIT = """async ({uuid, title}) => {
  const until = (ready) => new Promise((resolve) => {
    if (ready()) return resolve();
    const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); resolve(); } });
    watch.observe(document.body, {childList: true, subtree: true, characterData: true});
  });
  const article = () => document.querySelector(`article#entry-${uuid}`);
  const form = () => document.querySelector(`form#entry-${uuid}`);
  const began = performance.now();
  article().querySelector('a[href$="/edit/"]').click();
  await until(() => form() && form().querySelector('input[name="title"]'));
  const shown = performance.now();
  form().querySelector('input[name="title"]').value = title;
  form().querySelector('button.primary').click();
  await until(() => {
    const heading = article() && article().querySelector('h2');
    return heading && heading.textContent.trim() === title;
  });
  const saved = performance.now();
  // Of that, waiting for the server: request sent → first byte of the answer.
  const server = performance.getEntriesByType('resource')
    .filter(e => e.startTime >= began && e.name.includes(`/entries/${uuid}/`))
    .reduce((sum, e) => sum + (e.responseStart - e.requestStart), 0);
  performance.clearResourceTimings();
  return {open: shown - began, save: saved - shown, total: saved - began, server};
}"""


def log_in(context, base: str, username: str, password: str) -> None:
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator('form button[type="submit"], form button').last.click()
    if "/accounts/login/" in page.url:
        raise SystemExit("the bench user could not log in")
    page.close()


def wait_until_quiet(page, finished: list, seconds: float = 1.5) -> None:
    """Until no request of the context has finished for `seconds`."""
    quiet_since, seen = time.monotonic(), len(finished)
    while time.monotonic() - quiet_since < seconds:
        page.wait_for_timeout(250)
        if len(finished) != seen:
            quiet_since, seen = time.monotonic(), len(finished)


def first_load(browser, base: str, cookies: list) -> dict:
    """Bytes of a cold load of today's page: a new context, nothing cached, only the session.

    Counted: every request of the page (document, styles, scripts, icon, the warm-up list) and
    the service worker's script. Not counted but reported: what the new worker then fetches
    in the background to keep the app shell and the recent days and weeks for offline use."""
    context = browser.new_context(**CONTEXT)
    context.add_cookies(cookies)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(base + "/", wait_until="load")
    page.evaluate(WAIT_CONTROLLED)
    wait_until_quiet(page, finished)  # the background fetches are over
    counted, background = [], []
    for request in finished:
        sizes = request.sizes()
        body = max(sizes["responseBodySize"], 0)  # negative: answered from the HTTP cache
        if request.service_worker and request.headers.get("service-worker") == "script":
            # Chromium reports no body size for the worker's script: its Content-Length is it.
            response = request.response()
            body = body or int((response and response.headers.get("content-length")) or 0)
        size = (sizes["responseHeadersSize"] + body) if body else 0
        path = request.url.removeprefix(base)
        worker = request.service_worker and request.headers.get("service-worker") != "script"
        (background if worker else counted).append((path, size))
    context.close()
    counted.sort(key=lambda pair: -pair[1])
    return {
        "bytes": sum(size for _, size in counted),
        "requests": counted,
        "background_bytes": sum(size for _, size in background),
        "background_requests": len([size for _, size in background if size]),
    }


def inline_edits(context, base: str, day: str, runs: int) -> list[dict]:
    # After the login the worker keeps the recent days and weeks for offline use (once a day):
    # some 60 pages rendered in the background. Timed edits wait until it is done, or they
    # would measure that warm-up's share of the server and the two cores.
    finished = []

    def count(request) -> None:
        finished.append(request)

    context.on("requestfinished", count)
    page = context.new_page()
    page.goto(base + day)
    page.evaluate(WAIT_CONTROLLED)
    wait_until_quiet(page, finished)
    context.remove_listener("requestfinished", count)
    uuid = page.locator("article.entry").first.get_attribute("id").removeprefix("entry-")
    times = []
    for run in range(runs + 3):
        title = f"ベンチの題 {run:03}"
        timing = page.evaluate(EDIT, {"uuid": uuid, "title": title})
        if run >= 3:
            times.append(timing)
    # The same with the service worker stopped first, as Chromium stops an idle one after 30 s:
    # what a person meets who reads a while before editing.
    devtools = context.new_cdp_session(page)
    devtools.send("ServiceWorker.enable")
    idle = []
    for run in range(runs // 2):
        devtools.send("ServiceWorker.stopAllWorkers")
        page.wait_for_timeout(200)
        idle.append(page.evaluate(EDIT, {"uuid": uuid, "title": f"ベンチの題 idle {run:03}"}))
    page.close()
    return times, idle


def offline_reloads(context, base: str, week: str, runs: int) -> list[dict]:
    page = context.new_page()
    page.goto(base + week)
    page.evaluate(WAIT_CONTROLLED)
    page.reload()  # now through the worker, which keeps the page
    if not page.evaluate(WAIT_KEPT, week):
        raise SystemExit(f"the service worker did not keep {week}")
    context.set_offline(True)
    times = []
    try:
        for run in range(runs + 2):
            response = page.reload(wait_until="load")
            if not (response and response.from_service_worker):
                raise SystemExit("an offline reload was not answered by the service worker")
            page.locator("main").first.wait_for()
            if run >= 2:
                times.append(page.evaluate(NAVIGATION))
    finally:
        context.set_offline(False)
    page.close()
    return times


def measure(base: str, username: str, password: str, day: str, week: str, runs: int) -> dict:
    """{first_load_bytes, inline_edit_p50_ms, offline_reload_p50_ms, details: [lines]}."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(**CONTEXT)
            log_in(context, base, username, password)
            cookies = [c for c in context.cookies() if c["name"] == "sessionid"]
            cold = first_load(browser, base, cookies)
            edits, idle_edits = inline_edits(context, base, day, runs)
            reloads = offline_reloads(context, base, week, runs)
            context.close()
        finally:
            browser.close()
    edit_p50 = statistics.median(t["total"] for t in edits)
    load_p50 = statistics.median(t["load"] for t in reloads)
    details = [
        f"First load of `/`: {len(cold['requests'])} requests, {cold['bytes']:,} B "
        "(response headers + body as sent, gzipped where the server gzips):",
        "",
        *[f"- `{url}` {size:,} B" for url, size in cold["requests"]],
        "",
        f"Then the new service worker keeps the app shell and the recent days and weeks for "
        f"offline use, in the background: {cold['background_requests']} more requests, "
        f"{cold['background_bytes']:,} B.",
        "",
        f"Inline edit on `{day}`, {len(edits)} runs: open (click → form) p50 "
        f"{statistics.median(t['open'] for t in edits):.1f} ms, save (click → entry shown) p50 "
        f"{statistics.median(t['save'] for t in edits):.1f} ms, total p50 {edit_p50:.1f} ms "
        f"(of which waiting for the server's two answers p50 "
        f"{statistics.median(t['server'] for t in edits):.1f} ms), "
        f"max {max(t['total'] for t in edits):.1f} ms. With the service worker stopped before "
        f"each edit ({len(idle_edits)} runs, as after 30 s idle): total p50 "
        f"{statistics.median(t['total'] for t in idle_edits):.1f} ms.",
        f"Offline reload of `{week}`, {len(reloads)} runs: to the response p50 "
        f"{statistics.median(t['response'] for t in reloads):.1f} ms, to `load` p50 "
        f"{load_p50:.1f} ms, max {max(t['load'] for t in reloads):.1f} ms.",
    ]
    return {
        "first_load_bytes": cold["bytes"],
        "inline_edit_p50_ms": round(edit_p50, 1),
        "offline_reload_p50_ms": round(load_p50, 1),
        "details": details,
    }
