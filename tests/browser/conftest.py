import shutil

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page

from journal.models import Entry

CHROMIUM_ARGS = [
    # The machine's network is closed: Chromium must not try to phone home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


# Browser tests of how pages look and are operated (axe, layout, touch targets, focus, keys,
# CSP, IME): the same HTML and the same views on either database, whose database work the view
# tests cover on both. `make test-pg` leaves them out to keep `make test` under 15 minutes; the
# browser tests that write, sync, resolve conflicts and import run on PostgreSQL too.
LOOK_AND_FEEL = {
    "test_a11y.py",
    "test_a11y_measured.py",
    "test_conflict_layout.py",
    "test_csp.py",
    "test_ime.py",
    "test_keyboard.py",
    "test_layout.py",
    "test_phone.py",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if item.fspath.basename in LOOK_AND_FEEL:
                item.add_marker(pytest.mark.look_and_feel)


CSP_MESSAGES = ("Content Security Policy", "Refused to")


@pytest.fixture(autouse=True)
def csp_violations(browser: Browser, monkeypatch):
    """Fails the test when any page it opened logged a Content-Security-Policy violation: an
    inline style, script or handler that the policy (config/settings.py SECURE_CSP) refuses.
    Every context the test makes, through pytest-playwright or browser.new_context, listens."""
    violations: list[str] = []
    new_context = browser.new_context

    def listening_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on(
            "console",
            lambda message: (
                violations.append(f"{message.location.get('url')}: {message.text}")
                if any(words in message.text for words in CSP_MESSAGES)
                else None
            ),
        )
        return context

    monkeypatch.setattr(browser, "new_context", listening_context)
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.fixture
def user(transactional_db, django_user_model):
    from tests.conftest import _make_owner

    return _make_owner(django_user_model, "alice", title="研究日記", goal="1週間で3日稼働する")


@pytest.fixture
def logged_in_page(page: Page, live_server, user) -> Page:
    """A page whose browser carries alice's session cookie."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.fixture
def page_without_js(browser: Browser, live_server, user):
    """A page with JavaScript switched off, carrying alice's session: every action must still
    work as a plain form."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def today_entry(user) -> Entry:
    day = user.journal_settings.today()
    return Entry.objects.create(user=user, date=day, title="朝の散歩", body="川沿いを歩いた。")
