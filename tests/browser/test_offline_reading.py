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
