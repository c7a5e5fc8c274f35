"""Search in Chromium: live results once the IME has committed the text, at phone and desktop
widths, light and dark."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from journal.models import Entry
from tests.browser.test_layout import SHOTS, SIZES, overflow
from tests.sample_text import LONG_ENTRIES, SAMPLE_KEEP, SAMPLE_READING
from weekly.models import Item, ItemKind, ReadingNote, Week


@pytest.fixture
def written(user):
    today = user.journal_settings.today()
    Entry.objects.create(user=user, date=today, title="発音", body="今日は英語の発音練習をした。")
    for title, body in LONG_ENTRIES:
        Entry.objects.create(
            user=user, date=today, title=title, body=body + "\n英語の論文も読んだ。"
        )
    week = Week.get_or_create_for(user, user.journal_settings.week_of(today)[0])
    for _, text, *_ in SAMPLE_KEEP:
        Item.objects.create(user=user, week=week, kind=ItemKind.KEEP, text=text)
    for title, url, kind, notes, impressions in SAMPLE_READING:
        ReadingNote.objects.create(
            user=user, week=week, title=title, url=url, kind=kind, notes=notes,
            impressions=impressions,
        )  # fmt: skip
    return today


def record_searches(page: Page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: "/search/?" in r.url and sent.append(r.url))
    return sent


def test_live_results_wait_for_the_ime_to_commit(logged_in_page: Page, live_server, written):
    page = logged_in_page
    page.goto(live_server.url + "/search/")
    sent = record_searches(page)
    page.locator("#search-q").click()
    cdp = page.context.new_cdp_session(page)
    for kana in ("え", "えい", "えいご"):  # each keystroke of a romaji IME
        cdp.send(
            "Input.imeSetComposition",
            {"text": kana, "selectionStart": len(kana), "selectionEnd": len(kana)},
        )
        page.wait_for_timeout(150)
    page.wait_for_timeout(600)  # well past the 300 ms pause that would send a search

    assert sent == []
    expect(page.locator("#results mark")).to_have_count(0)

    cdp.send("Input.insertText", {"text": "英語"})  # the IME commits the conversion

    expect(page.locator("#results mark").first).to_have_text("英語")
    snippet = page.locator("#results .search-snippet").first
    assert "<mark>英語</mark>" in snippet.inner_html()
    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(quote("英語"))))
    assert sent
    assert all(f"q={quote('英語')}" in url for url in sent)


def test_typing_without_an_ime_searches_after_a_pause(logged_in_page: Page, live_server, written):
    page = logged_in_page
    page.goto(live_server.url + "/search/")
    sent = record_searches(page)
    page.locator("#search-q").press_sequentially("発音練習", delay=30)
    expect(page.locator("#results mark").first).to_have_text("発音練習")
    assert len(sent) == 1  # one request for the word, not one per character


def test_a_filter_change_updates_the_results(logged_in_page: Page, live_server, written):
    page = logged_in_page
    page.goto(live_server.url + "/search/?q=英語")
    expect(page.locator(".search-hit")).not_to_have_count(0)
    page.locator("#id_kind").select_option("note")
    expect(page.locator(".badge.kind-entry")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"kind=note"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_the_search_page_fits_the_screen(logged_in_page: Page, live_server, written, size, scheme):
    page = logged_in_page
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.emulate_media(color_scheme=scheme)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/search/?q=英語")
    expect(page.locator(".search-hit").first).to_be_visible()
    page.screenshot(path=SHOTS / f"search-{size}-{scheme}.png", full_page=True)
    assert overflow(page) == 0
