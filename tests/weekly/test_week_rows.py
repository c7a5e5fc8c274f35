"""The week page's rows written in Python (weekly/week_rows.py): every text escaped, every
action form complete, and the same HTML on the page as in the fragments the actions answer with."""

import re
import uuid
from datetime import datetime
from html.parser import HTMLParser

import pytest
from django.template import Context
from django.test.html import parse_html
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import override

from journal.models import Photo
from tests.conftest import DAY, HTMX
from tests.security.html_check import script_risks
from tests.security.xss_corpus import PAYLOADS
from weekly.forms import ItemCreateForm
from weekly.models import Item, ItemKind, ReadingKind, ReadingNote, Review, Week
from weekly.tree import Node
from weekly.week_page import DiaryLine
from weekly.week_rows import BlankForm, WeekRows, form_html, week_url

PLAIN = "早起きできた"


class Parsed(HTMLParser):
    """Start tags with their attributes, and the text inside each element with an id or class."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.open: list[tuple[str, dict]] = []
        self.texts: dict[str, str] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in {"input", "img"}:
            self.open.append((tag, attributes))

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        for _tag, attributes in self.open:
            for key in (attributes.get("id"), attributes.get("class")):
                if key:
                    self.texts[key] = self.texts.get(key, "") + data

    def shape(self) -> list[tuple[str, list[str]]]:
        """Which elements with which attributes: what hostile text must never change."""
        return [(tag, sorted(attributes)) for tag, attributes in self.tags]

    def attribute(self, tag: str, name: str) -> list[str]:
        return [attrs[name] for t, attrs in self.tags if t == tag and name in attrs]


def context(**extra) -> Context:
    return Context({"week": Week(start_date=DAY), "csrf_token": "tok3n", **extra})


def item(text: str = PLAIN, kind: str = ItemKind.TRY, **fields) -> Item:
    return Item(uuid=uuid.uuid4(), kind=kind, text=text, **fields)


def note(title: str = "本", **fields) -> ReadingNote:
    fields.setdefault("url", "https://example.com/book")
    fields.setdefault("notes", "メモ")
    fields.setdefault("impressions", "感想")
    made = ReadingNote(uuid=uuid.uuid4(), title=title, kind=ReadingKind.BOOK, **fields)
    made.render()
    made.prefetched_covers = []
    return made


def row(made: Item, language: str = "en", **extra) -> str:
    shown = context(**extra)
    with override(language):
        return WeekRows.of(shown).item(made, shown)


def article(made: ReadingNote, **extra) -> str:
    shown = context(**extra)
    with override("en"):
        return WeekRows.of(shown).note(made, shown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_items_text_is_shown_as_written_and_never_becomes_markup(payload):
    made = item(payload, review=Review.DONE, carried_from_id=1)
    html = row(made)
    parsed = Parsed(html)
    assert not script_risks(html)
    assert parsed.shape() == Parsed(row(item(review=Review.DONE, carried_from_id=1))).shape()
    assert parsed.texts["item-text"] == payload
    name = Truncator(payload).chars(30)
    assert parsed.attribute("button", "aria-label") == [f"Try (★): {name}"]
    assert parsed.texts["visually-hidden"] == f"Actions for {name}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_reading_notes_texts_are_shown_as_written_and_never_become_markup(payload):
    """Title, link and upload errors; the notes' HTML comes sanitized from journal/markdown.py."""

    def made(text: str) -> ReadingNote:
        shown = note(text, url=f"https://example.com/{text}")
        shown.prefetched_covers = [Photo(uuid=uuid.uuid4(), width=1200, height=900)]
        return shown

    hostile = made(payload)
    html = article(hostile, cover_errors=[payload])
    assert not script_risks(html)
    parsed = Parsed(html)
    assert parsed.shape() == Parsed(article(made("本"), cover_errors=["x"])).shape()
    assert parsed.texts[f"note-title-{hostile.uuid}"] == f"{payload} book"
    assert parsed.texts["note-link"] == hostile.url
    assert parsed.attribute("img", "alt") == [f"Cover of “{payload}”"]
    name = Truncator(payload).chars(30)
    assert parsed.attribute("button", "aria-label") == [f"Up: {name}", f"Down: {name}"]
    assert parsed.texts["photo-errors"] == payload


def test_a_notes_link_is_escaped_in_its_href_and_its_text():
    made = note(url='https://example.com/?a=1&b="2"<x>')
    parsed = Parsed(article(made))
    assert parsed.attribute("a", "href")[0] == made.url
    assert parsed.texts["note-link"] == made.url


def test_every_action_form_carries_the_csrf_token():
    for html in (row(item(kind=ItemKind.PROBLEM)), row(item(kind=ItemKind.KEEP)), article(note())):
        parsed = Parsed(html)
        forms = [attrs for tag, attrs in parsed.tags if tag == "form"]
        tokens = parsed.attribute("input", "value")
        assert forms
        assert tokens.count("tok3n") == len(forms)


def test_without_a_token_the_forms_have_no_token_field():
    made = item()
    shown = Context({"week": Week(start_date=DAY)})
    assert "csrfmiddlewaretoken" not in WeekRows.of(shown).item(made, shown)


def test_keep_items_have_no_star_and_problems_an_empty_one():
    assert 'class="star"' not in row(item(kind=ItemKind.KEEP))
    problem = Parsed(row(item(kind=ItemKind.PROBLEM)))
    assert problem.attribute("button", "aria-pressed") == ["false"]
    assert problem.texts["star"] == "☆"
    try_ = Parsed(row(item(kind=ItemKind.TRY)))
    assert try_.attribute("button", "aria-pressed") == ["true"]
    assert try_.texts["star"] == "★"


def test_only_a_reviewed_try_shows_its_review():
    assert "badge review-" not in row(item(review=Review.OPEN))
    assert "badge review-" not in row(item(kind=ItemKind.PROBLEM, review=Review.DONE))
    assert Parsed(row(item(review=Review.NOT_DONE))).texts["badge review-not_done"] == "not done"


def test_the_moved_item_gets_the_focus():
    made = item()
    assert "data-focus" in row(made, moved=made)
    assert "data-focus" not in row(made, moved=item())
    assert "data-focus" not in row(made)


def test_an_item_deleted_elsewhere_shows_its_text_and_no_actions():
    html = row(item("<b>消えた</b>", deleted_at=datetime(2026, 11, 23, 12, 0)))
    parsed = Parsed(html)
    assert parsed.texts["item-text"] == "<b>消えた</b>"
    assert "form" not in [tag for tag, _ in parsed.tags]
    assert parsed.texts["badge deleted"] == "Deleted on another device"


def test_a_tree_nests_children_inside_their_parents_item():
    parent, child = item("親"), item("子")
    shown = context()
    html = WeekRows.of(shown).tree([Node(parent, 0, [Node(child, 1)])], shown)
    root = parse_html(f"<ul>{html}</ul>")
    (outer,) = root.children
    assert dict(outer.attributes)["id"] == f"item-{parent.uuid}"
    (inner_list,) = [c for c in outer.children if getattr(c, "name", "") == "ul"]
    assert dict(inner_list.children[0].attributes)["id"] == f"item-{child.uuid}"


def test_the_words_follow_the_language():
    made = item("問題", kind=ItemKind.PROBLEM)
    parsed = Parsed(row(made, language="ja"))
    assert parsed.texts["visually-hidden"] == "操作: 問題"
    assert "↑ 上へ" in parsed.texts["item-menu-actions"]


def test_rows_are_made_once_a_request_and_week(rf):
    request = rf.get("/")
    first = Context({"week": Week(start_date=DAY), "request": request})
    again = Context({"week": Week(start_date=DAY), "request": request})
    other = Context({"week": Week(start_date=DAY.replace(day=30)), "request": request})
    assert WeekRows.of(first) is WeekRows.of(again)
    assert WeekRows.of(other) is not WeekRows.of(first)


# Through the views: a row on the page is the row its fragment answers with


def without_tokens(response) -> object:
    """The page or fragment as parsed HTML, its CSRF tokens (masked anew each time) blanked."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"',
                  response.content.decode())  # fmt: skip
    return parse_html(html)


def test_an_items_fragment_is_the_row_on_the_page(client, make_item):
    problem = make_item("問題", kind=ItemKind.PROBLEM)
    try_ = make_item("試す & <見る>", kind=ItemKind.TRY, parent=problem)
    page = without_tokens(client.get(f"/weeks/{DAY}/"))
    fragment = without_tokens(client.get(f"/weeks/{DAY}/items/{try_.uuid}/", headers=HTMX))
    assert page.count(fragment) == 1


def test_a_notes_fragment_is_the_note_on_the_page(client, make_note):
    made = make_note("題 & <名>", url="https://example.com/?a=1&b=2")
    page = without_tokens(client.get(f"/weeks/{DAY}/"))
    fragment = without_tokens(client.get(f"/weeks/{DAY}/reading/{made.uuid}/", headers=HTMX))
    assert page.count(fragment) == 1


# Last week's Tries and the week's diary


def review(made: Item, **row) -> str:
    shown = context(reviewed=row.pop("reviewed", None))
    row = {"item": made, "carried": False, "kept": False, **row}
    with override("en"):
        return WeekRows.of(shown).review_rows([row], shown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_try_to_review_and_its_problem_are_shown_as_written(payload):
    problem = Item(id=1, text=payload)
    made = item(payload, review=Review.NOT_DONE, parent=problem)
    html = review(made)
    assert not script_risks(html)
    parsed = Parsed(html)
    plain = item(review=Review.NOT_DONE, parent=Item(id=1, text=PLAIN))
    assert parsed.shape() == Parsed(review(plain)).shape()
    assert parsed.texts["review-text"] == f"★ {payload} ← {payload}"
    assert parsed.attribute("span", "aria-label") == [f"Review of {payload}"]


def test_a_review_presses_its_state_and_offers_what_follows_from_it():
    done = Parsed(review(item(review=Review.DONE)))
    assert done.attribute("button", "aria-pressed") == ["true", "false", "false"]
    assert done.attribute("button", "value")[-1] == "keep"
    not_done = Parsed(review(item(review=Review.NOT_DONE)))
    assert not_done.attribute("button", "value")[-1] == "carry"
    carried = Parsed(review(item(review=Review.NOT_DONE), carried=True))
    assert carried.texts["badge carried"] == "Carried into this week"
    assert "carry" not in carried.attribute("button", "value")
    kept = Parsed(review(item(review=Review.DONE), kept=True))
    assert kept.texts["badge kept"] == "Recorded as a Keep"


def test_the_try_just_reviewed_gets_the_focus():
    made = item(review=Review.DONE)
    assert "data-focus" in review(made, reviewed=made.uuid)
    assert "data-focus" not in review(made, reviewed=uuid.uuid4())


def entry(title: str, day=DAY, worked=False, starred=False) -> DiaryLine:
    return DiaryLine(uuid.uuid4(), day, title, worked, starred)


def diary(entries: list[DiaryLine]) -> str:
    shown = context()
    with override("en"):
        return WeekRows.of(shown).diary(entries)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_diary_entrys_title_is_shown_as_written(payload):
    made = entry(payload, starred=True, worked=True)
    html = diary([made])
    assert not script_risks(html)
    parsed = Parsed(html)
    assert parsed.shape() == Parsed(diary([entry(PLAIN, starred=True, worked=True)])).shape()
    assert parsed.attribute("a", "href")[1] == f"/days/{DAY}/#entry-{made.uuid}"
    assert parsed.texts["entry-star"] == "★"
    assert parsed.texts["visually-hidden"] == "Starred: worked"  # both said to screen readers


def test_the_diary_lists_each_day_once_with_its_entries_in_order():
    later = DAY.replace(day=25)
    html = diary([entry("朝"), entry(""), entry("夜", day=later)])
    parsed = Parsed(html)
    assert parsed.attribute("a", "class") == ["week-diary-date", "week-diary-date"]
    assert parsed.attribute("a", "href")[0] == f"/days/{DAY}/"
    assert parsed.attribute("a", "href")[3] == f"/days/{later}/"
    assert "(untitled)" in html
    assert "2026/11/23(Mon)" in html


# The add forms


def test_a_blank_form_is_rendered_once_a_language():
    def blank() -> BlankForm:
        return BlankForm(ItemCreateForm, "add-keep-%s", {"section": "keep", "depth": 1})

    with override("en"):
        first = form_html("weekly/item_add_fields.html", blank(), section="keep")
        again = form_html("weekly/item_add_fields.html", blank(), section="keep")
    with override("ja"):
        japanese = form_html("weekly/item_add_fields.html", blank(), section="keep")
    assert again is first
    assert '<option value="1" selected>' in first
    assert "one level in" in first
    assert "1段下げる" in japanese


def test_a_bound_form_shows_the_users_input_every_time():
    posted = {"section": "problem", "text": "", "depth": "2", "is_try": "on"}
    bound = ItemCreateForm(posted, auto_id="add-problem-%s")
    bound.is_valid()
    html = form_html("weekly/item_add_fields.html", bound, section="problem")
    assert '<option value="2" selected>' in html
    assert 'name="is_try" id="add-problem-is_try" checked' in html


def test_a_blank_form_has_no_errors_to_show():
    assert not BlankForm(ItemCreateForm, "add-keep-%s", {}).errors


def test_week_urls_are_the_reversed_ones():
    for name in ("weekly:items", "weekly:reading-create", "weekly:week"):
        assert week_url(name, DAY) == reverse(name, args=[DAY])


def test_an_invalid_add_without_javascript_keeps_the_chosen_level(client, make_item):
    make_item("親")
    posted = {"section": "keep", "text": "", "depth": "1"}
    html = client.post(f"/weeks/{DAY}/items/", posted).content.decode()
    assert 'data-level="1"' in html
    assert '<option value="1" selected>' in html
