"""Imported entries on the day page, in a real browser: a starred Day One entry's ★ is seen (gold,
beside its title, at phone and desktop widths, light and dark) and read out ("スター付き:"), and
the edit form's box sets the star in place. Screenshots go to test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from archive.importing import plan_import
from archive.sources import bytes_source
from tests.archive.fixtures import dayone_entry, dayone_json

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def imported(user):
    entries = [
        dayone_entry(
            uuid="A" * 32,
            text="# 雨の日の実験\n研究室で**データ整理**をした\\. 午後は再学習\\.",
            starred=True,
            tags=["研究", "日記"],
        ),
        dayone_entry(
            uuid="B" * 32,
            creationDate="2021-01-18T11:00:00Z",
            text="夜は論文を一本読んだ\\. 注意機構の図がわかりやすい\\!",
        ),
    ]
    data = dayone_json(*entries)
    plan_import("dayone", user, bytes_source(data, "Journal.json")).apply(user)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_starred_imported_entry_shows_its_star(
    logged_in_page: Page, live_server, imported, width, scheme
):
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/days/2021-01-18/")

    starred = page.get_by_role("heading", name="スター付き: 雨の日の実験")
    expect(starred).to_be_visible()
    star = starred.locator(".entry-star")
    expect(star).to_have_text("★")
    colour = star.evaluate("element => getComputedStyle(element).color")
    assert colour == ("rgb(138, 97, 0)" if scheme == "light" else "rgb(230, 184, 79)")
    star_box, heading_box = star.bounding_box(), starred.bounding_box()
    assert star_box["y"] < heading_box["y"] + heading_box["height"]  # on the title's line
    expect(page.get_by_role("heading", name="夜は論文を一本読んだ.")).to_be_visible()
    assert page.locator(".entry-star").count() == 1
    expect(page.get_by_text("#研究 #日記")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"imported-day-{width}-{scheme}.png", full_page=True)


def test_the_edit_form_stars_an_entry_in_place(logged_in_page: Page, live_server, imported):
    page = logged_in_page
    page.goto(f"{live_server.url}/days/2021-01-18/")
    article = page.locator("article.entry").nth(1)

    article.get_by_role("link", name="編集").click()
    box = page.get_by_label("スター ★")
    expect(box).not_to_be_checked()
    box.check()
    page.screenshot(path=SHOTS / "imported-edit-star.png")
    page.locator("#entry-list").get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name="スター付き: 夜は論文を一本読んだ.")).to_be_visible()
    assert page.locator(".entry-star").count() == 2
