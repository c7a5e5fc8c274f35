"""A phone from 320 px, text at 200 %, and reduced motion, over every page: nothing scrolls
sideways or is cut off, the controls a thumb uses are 44 px, nothing moves. Screenshots at 320 and
1280 px, light and dark, go to test-artifacts/screenshots/ for a person to look at."""

import pytest
from playwright.sync_api import Page

from journal.models import Entry
from tests.browser.test_layout import SHOTS, written_journal, written_week  # noqa: F401
from weekly.models import Item, ReadingNote

# What a thumb presses to write, move and navigate. Links inside written text are exempt
# (WCAG 2.5.8 "inline"), as are the year heatmap's day cells (their month's link is the target).
PRIMARY_CONTROLS = (
    "button:not(.link-button):not([hidden]), a.button, .site-nav li a, .site-nav .link-button,"
    " .day-nav a, .toc a:not(.report *), .item-menu > summary, .reading-add > summary,"
    " input:not([type=hidden], [type=checkbox], [type=radio], [type=file]), select, textarea,"
    " .photo-pick,"  # the label is the button; its file input fills it, inside the border
    " .timeline-more a, .saved-pages a"
)
# The month's days are 36 × 54 px at 320 px (seven days and the week's count in 306 px), 44 wide
# from 373 px; tests/browser/test_a11y_measured.py measures them and their spacing (WCAG 2.5.8).
CALENDAR_DAYS = ".calendar td a"

TOO_SMALL = """([selector, least]) => [...document.querySelectorAll(selector)]
  .filter((element) => element.getClientRects().length && !element.closest("dialog:not([open])"))
  .map((element) => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44 || box.width < least)
  .map(([element, box]) =>
    `${element.outerHTML.slice(0, 90)} ${Math.round(box.width)}×${Math.round(box.height)}`)"""

# Text cut off: an element that hides its overflow but has more content than it shows.
CLIPPED = """() => [...document.querySelectorAll("main *")]
  .filter((element) => {
    const style = getComputedStyle(element);
    if (element.matches("input, textarea, select")) return false;  // they scroll their text
    const scrolls = ".visually-hidden, .heatmap-scroll, .prose pre, .prose table";
    if (element.closest(scrolls)) return false;
    const hides = [style.overflowX, style.overflowY].some((v) => v === "hidden" || v === "clip");
    return hides && (element.scrollWidth > element.clientWidth + 1
                     || element.scrollHeight > element.clientHeight + 1);
  })
  .map((element) => element.outerHTML.slice(0, 120))"""

SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture
def every_page(user, written_week):  # noqa: F811
    entry = Entry.objects.filter(user=user).first()
    item = Item.objects.filter(user=user, week__start_date=written_week).first()
    note = ReadingNote.objects.filter(user=user).first()
    today = user.journal_settings.today()
    week = f"/weeks/{written_week}"
    return [
        ("today", "/"),
        ("day", f"/days/{entry.date}/"),
        ("month", f"/months/{today:%Y-%m}/"),
        ("year", f"/years/{today.year}/"),
        ("week", f"{week}/"),
        ("week-edit", f"{week}/edit/"),
        ("board", f"{week}/board/"),
        ("report", f"{week}/report/"),
        ("timeline", "/weeks/"),
        ("search", "/search/?q=英語"),
        ("settings", "/settings/"),
        ("password", "/accounts/password/"),
        ("offline", "/offline/"),
        ("entry-edit", f"/entries/{entry.uuid}/edit/"),
        ("item-edit", f"{week}/items/{item.uuid}/edit/"),
        ("reading-edit", f"{week}/reading/{note.uuid}/edit/"),
    ]


def test_every_page_at_320_px_fits_and_has_thumb_sized_controls(
    logged_in_page: Page, live_server, every_page
):
    page = logged_in_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, height in [(320, 640), (1280, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for name, path in every_page:
                page.goto(live_server.url + path)
                page.screenshot(path=SHOTS / f"{name}-{width}-{scheme}.png", full_page=True)
                if page.evaluate(SIDEWAYS) > 0:
                    problems.append(f"{path} at {width} px scrolls sideways")
                if width == 320 and scheme == "light":
                    for controls, least in [(PRIMARY_CONTROLS, 44), (CALENDAR_DAYS, 24)]:
                        small = page.evaluate(TOO_SMALL, [controls, least])
                        problems += [f"{path}: {control}" for control in small]
    assert not problems, "\n".join(problems)


def test_the_kpt_menu_and_the_shortcuts_list_fit_a_320_px_phone(
    logged_in_page: Page,
    live_server,
    written_week,  # noqa: F811
):
    page = logged_in_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/weeks/{written_week}/")
    page.locator("#section-keep .item-menu > summary").first.click()
    page.screenshot(path=SHOTS / "week-menu-320.png")
    menu = page.locator("#section-keep .item-menu[open] .item-menu-actions")
    box = menu.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    assert page.evaluate(TOO_SMALL, [".item-menu[open] button", 44]) == []
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    page.screenshot(path=SHOTS / "shortcuts-320.png")
    box = page.locator("#shortcuts").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    assert page.evaluate(SIDEWAYS) <= 0


def test_text_at_200_percent_loses_nothing(logged_in_page: Page, live_server, every_page):
    page = logged_in_page
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = []
    for name, path in every_page:
        page.goto(live_server.url + path)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        if name in ("today", "week", "search"):
            page.screenshot(path=SHOTS / f"{name}-text-200.png", full_page=True)
        if page.evaluate(SIDEWAYS) > 0:
            problems.append(f"{path} scrolls sideways with text at 200 %")
        problems += [f"{path}: cut off: {clipped}" for clipped in page.evaluate(CLIPPED)]
    assert not problems, "\n".join(problems)


def test_nothing_moves_when_the_system_asks_for_reduced_motion(
    logged_in_page: Page, live_server, every_page
):
    page = logged_in_page
    page.emulate_media(reduced_motion="reduce")
    moving = []
    for _, path in every_page[:6]:
        page.goto(live_server.url + path)
        moving += page.evaluate(
            """() => [...document.querySelectorAll("*")].filter((element) => {
                 const style = getComputedStyle(element);
                 return style.animationName !== "none"
                   || style.transitionDuration.split(",").some((d) => parseFloat(d) > 0)
                   || style.scrollBehavior === "smooth";
               }).map((element) => element.outerHTML.slice(0, 80))"""
        )
    assert moving == []


def test_the_pages_before_login_fit_320_px(page: Page, live_server, transactional_db):
    for width, height in [(320, 640), (1280, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for name, path in [("login", "/accounts/login/"), ("setup", "/setup/")]:
                page.goto(live_server.url + path)
                page.screenshot(path=SHOTS / f"{name}-{width}-{scheme}.png", full_page=True)
                assert page.evaluate(SIDEWAYS) <= 0, f"{path} at {width} px scrolls sideways"
                if width == 320:
                    assert page.evaluate(TOO_SMALL, [PRIMARY_CONTROLS, 44]) == []
