"""The Content-Security-Policy in a real browser: the check in conftest.py (csp_violations)
fails any browser test that trips it; these tests make sure the check itself sees violations
and walk the pages no other browser test opens."""

from playwright.sync_api import Page, expect

from journal.models import Entry

TABLE = "| 日 | 稼働 | メモ |\n|:--|:-:|--:|\n| 月 | ● | 3 |"


def test_the_check_sees_an_inline_style_and_an_inline_script(page: Page, csp_violations):
    html = "<!doctype html><p style='color:red'>x</p><script>document.title='ran'</script>"
    page.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            body=html, content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'; style-src 'self'"},
        ),
    )  # fmt: skip
    page.goto("http://csp.test/")
    expect(page).not_to_have_title("ran")
    found = list(csp_violations)
    csp_violations.clear()  # expected here; any other test failing on such a message is the point
    assert any("inline style" in message for message in found), found
    assert any("inline script" in message for message in found), found


def test_a_markdown_table_keeps_its_alignment_under_the_policy(
    logged_in_page: Page, live_server, user
):
    day = user.journal_settings.today()
    Entry.objects.create(user=user, date=day, title="表", body=TABLE)
    page = logged_in_page
    response = page.goto(f"{live_server.url}/days/{day}/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    cells = page.locator(".prose td")
    expect(cells.nth(0)).to_have_css("text-align", "left")
    expect(cells.nth(1)).to_have_css("text-align", "center")
    expect(cells.nth(2)).to_have_css("text-align", "right")


def test_the_pages_no_other_browser_test_opens_keep_to_the_policy(
    logged_in_page: Page, live_server, user
):
    page = logged_in_page
    day = user.journal_settings.today()
    monday = user.journal_settings.week_of(day)[0]  # a week's Markdown is named by its start
    for path in ("/settings/", "/accounts/password/", f"/years/{day.year}/", "/offline/",
                 f"/weeks/{monday}.md", "/admin/"):  # fmt: skip
        response = page.goto(live_server.url + path)
        assert response.ok, path
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")


def test_the_login_and_lockout_pages_keep_to_the_policy(page: Page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    statuses = []
    for n in range(5):
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", f"guess {n}")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("button.primary")
        statuses.append(answer.value.status)
    assert statuses == [200] * 4 + [429]
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
