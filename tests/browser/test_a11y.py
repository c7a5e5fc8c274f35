"""axe-core (bundled by axe-playwright-python, no network) over every page and its main states,
390 and 1280 px wide, light and dark: zero violations at WCAG 2.2 AA and of axe's best practices.
One browser context walks many pages, so the whole check costs minutes, not a browser start per
page."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.browser.test_conflict_layout import conflicted_week  # noqa: F401
from tests.browser.test_layout import written_journal, written_week  # noqa: F401
from weekly.models import Item, ReadingNote

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCHEMES = ("light", "dark")
WIDTHS = (390, 1280)  # a phone and a desktop: target sizes and reflow differ


def looks(page: Page):
    """Each (width, scheme) in turn, set on the page: "390 px, dark"."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            yield f"{width} px, {scheme}"


# The year's heatmap has a small link for each day. WCAG 2.5.8 excepts a target whose function
# another control on the page offers at full size: each month's link above the map (24 px and up),
# whose calendar has 44 px days. Those day links are out of the Tab order for the same reason.
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  const equivalent = (node) => {
    const element = document.querySelector(node.target[0]);
    return element && element.matches(".heatmap tbody a[tabindex='-1']");
  };
  for (const violation of results.violations) {
    if (violation.id !== "target-size") continue;
    violation.nodes = violation.nodes.filter((node) => !equivalent(node));
  }
  return {violations: results.violations.filter((violation) => violation.nodes.length)};
}"""


def axe_violations(page: Page, state: str) -> list[str]:
    """Runs axe on what the page shows now. axe goes in by page.evaluate, which the page's CSP
    does not govern, so the app's policy stays as strict as in production."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(AXE_RUN, AXE_TAGS)
    found = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{state}: {violation['id']} ({violation['impact']}) {node['target']}\n"
                f"    {node['html'][:200]}\n    {node['failureSummary'][:300]}"
            )
    return found


def check_pages(page: Page, base_url: str, paths: list[str]) -> list[str]:
    found = []
    for look in looks(page):
        for path in paths:
            page.goto(base_url + path)
            found += axe_violations(page, f"{path} [{look}]")
    return found


def assert_none(found: list[str]) -> None:
    assert not found, f"{len(found)} accessibility violations:\n" + "\n".join(found)


def test_the_empty_journal_has_no_violations(logged_in_page: Page, live_server, user):
    today = user.journal_settings.today()
    start = user.journal_settings.week_of(today)[0]
    paths = [
        "/",
        f"/days/{today}/",
        f"/months/{today:%Y-%m}/",
        f"/years/{today.year}/",
        f"/weeks/{start}/",
        f"/weeks/{start}/board/",
        f"/weeks/{start}/report/",
        f"/weeks/{start}/edit/",
        "/weeks/",
        "/search/",
        "/search/?q=見つからない言葉",
        "/settings/",
        "/accounts/password/",
        "/offline/",
    ]
    assert_none(check_pages(logged_in_page, live_server.url, paths))


def test_the_written_journal_has_no_violations(
    logged_in_page: Page,
    live_server,
    user,
    written_week,  # noqa: F811
):
    entry = Entry.objects.filter(user=user).first()
    item = Item.objects.filter(user=user, week__start_date=written_week).first()
    note = ReadingNote.objects.filter(user=user).first()
    today = user.journal_settings.today()
    week = f"/weeks/{written_week}"
    paths = [
        "/",
        f"/days/{entry.date}/",
        f"/months/{today:%Y-%m}/",
        f"/years/{today.year}/",
        f"{week}/",
        f"{week}/board/",
        f"{week}/report/",
        "/weeks/",
        "/search/?q=英語",
        f"/entries/{entry.uuid}/edit/",
        f"{week}/items/{item.uuid}/edit/",
        f"{week}/reading/{note.uuid}/edit/",
    ]
    assert_none(check_pages(logged_in_page, live_server.url, paths))


def test_conflicts_have_no_violations(logged_in_page: Page, live_server, conflicted_week):  # noqa: F811
    paths = ["/", f"/weeks/{conflicted_week}/"]
    assert_none(check_pages(logged_in_page, live_server.url, paths))


def test_editing_in_place_and_the_offline_notice_have_no_violations(
    logged_in_page: Page, live_server, user, today_entry
):
    page = logged_in_page
    found = []
    for look in looks(page):
        page.goto(live_server.url + "/")
        page.locator(f"#entry-{today_entry.uuid}").get_by_role("link", name="編集").click()
        expect(page.get_by_label("タイトル").first).to_be_focused()
        found += axe_violations(page, f"inline edit [{look}]")
        page.keyboard.press("Escape")
        page.locator(f"#entry-{today_entry.uuid}").get_by_role("button", name="削除").click()
        expect(page.locator(f"#entry-{today_entry.uuid}")).to_contain_text("元に戻す")
        found += axe_violations(page, f"deleted with undo [{look}]")
        page.get_by_role("button", name="元に戻す").click()
        expect(page.locator(f"#entry-{today_entry.uuid} .prose")).to_be_visible()
        page.context.set_offline(True)
        page.evaluate("() => window.dispatchEvent(new Event('offline'))")
        expect(page.locator("#connection")).not_to_be_empty()
        form = page.locator("#new-entry")
        form.locator("textarea").fill(f"圏外で書いた。{look}")
        form.locator("textarea").press("Control+Enter")
        expect(page.locator(".pending-card")).to_be_visible()
        found += axe_violations(page, f"offline with a queued change [{look}]")
        page.context.set_offline(False)
        expect(page.locator("#outbox")).to_be_hidden(timeout=10_000)
    assert_none(found)


@pytest.mark.parametrize("path", ["/accounts/login/", "/setup/"])
def test_the_pages_before_login_have_no_violations(page: Page, live_server, transactional_db, path):
    assert_none(check_pages(page, live_server.url, [path]))


def test_the_kpt_menu_and_the_shortcuts_list_have_no_violations(
    logged_in_page: Page,
    live_server,
    written_week,  # noqa: F811
):
    page = logged_in_page
    found = []
    for look in looks(page):
        page.goto(f"{live_server.url}/weeks/{written_week}/")
        page.locator("#section-keep .item-menu > summary").first.click()
        found += axe_violations(page, f"KPT menu open [{look}]")
        page.keyboard.press("Escape")
        page.keyboard.press("?")
        expect(page.locator("#shortcuts")).to_be_visible()
        found += axe_violations(page, f"shortcuts list [{look}]")
    assert_none(found)
