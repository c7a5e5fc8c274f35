"""Reading with the network gone: the service worker keeps recent days and weeks."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from journal.models import Entry

WAIT_CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  const sw = navigator.serviceWorker;
  if (!sw.controller)
    await new Promise(r => sw.addEventListener('controllerchange', r, {once: true}));
  return navigator.serviceWorker.controller.state;
}"""

WAIT_WARMED = """async (path) => {
  for (let i = 0; i < 100; i++) {
    for (const name of await caches.keys())
      if (name.startsWith('pages-') && await (await caches.open(name)).match(path)) return true;
    await new Promise(r => setTimeout(r, 100));
  }
  return false;
}"""


def test_recent_days_and_weeks_read_offline_and_others_show_the_offline_page(
    logged_in_page: Page, live_server, user
):
    prefs = user.journal_settings
    today = prefs.today()
    yesterday = today - timedelta(days=1)
    Entry.objects.create(user=user, date=yesterday, title="昨日の記録", body="雨の中を歩いた。")
    week_start = prefs.week_of(today)[0]
    page = logged_in_page

    page.goto(live_server.url + "/")
    page.evaluate(WAIT_CONTROLLED)
    assert page.evaluate(WAIT_WARMED, f"/days/{yesterday}/")
    assert page.evaluate(WAIT_WARMED, f"/weeks/{week_start}/")

    page.context.set_offline(True)
    response = page.goto(f"{live_server.url}/days/{yesterday}/")
    assert response.from_service_worker
    expect(page.locator(".entry-title")).to_have_text("昨日の記録")
    expect(page.locator("#connection")).to_contain_text("オフライン")

    page.goto(f"{live_server.url}/weeks/{week_start}/")
    expect(page.locator("h1")).to_contain_text("Weekly Report")

    page.goto(f"{live_server.url}/")
    expect(page.locator(".day-title")).to_contain_text(today.strftime("%Y/%m/%d"))

    page.goto(f"{live_server.url}/days/2001-01-01/")
    expect(page.locator("h1")).to_have_text("オフラインです")
    expect(page.locator("[data-saved-pages] a").first).to_be_visible()

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/days/2001-01-01/")
    expect(page.locator(".day-title")).to_contain_text("2001/01/01")


ROUTES_TAKEN = """(paths) => performance.getEntriesByType('resource')
  .filter(e => paths.some(p => new URL(e.name).pathname.startsWith(p)))
  .map(e => [new URL(e.name).pathname, e.workerMatchedSourceType || ""])"""


def test_saves_and_fragments_go_to_the_network_without_waking_the_worker(
    logged_in_page: Page, live_server, today_entry: Entry
):
    """The worker answers navigations, static files and photos; its static routes send the
    inline saves and htmx's fragments straight to the network (no worker start-up to wait for
    after the worker went idle), while static files still come from its cache."""
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.evaluate(WAIT_CONTROLLED)
    page.reload()  # now controlled from the start: every request below meets the worker
    article = page.locator(f"#entry-{today_entry.uuid}")
    article.get_by_role("link", name="編集").click()
    form = page.locator(f"form#entry-{today_entry.uuid}")
    form.get_by_label("タイトル").fill("朝の散歩、二度目")
    form.get_by_role("button", name="保存").click()
    expect(article.locator(".entry-title")).to_have_text("朝の散歩、二度目")

    entry = f"/entries/{today_entry.uuid}/"
    taken = page.evaluate(ROUTES_TAKEN, [entry, "/static/app"])
    fragments = [row for row in taken if row[0].startswith(entry)]
    assert len(fragments) == 2  # the edit form and the save
    assert all(source == "network" for _, source in fragments), fragments
    static = [row for row in taken if row[0].startswith("/static/app")]
    assert static
    assert all(source in ("", "fetch-event") for _, source in static), static
