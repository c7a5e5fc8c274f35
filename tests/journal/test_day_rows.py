"""The day page's entries and photos written in Python (journal/day_rows.py): every text escaped,
the same HTML on the page as in the fragments the actions answer with, the user's language."""

import re

import pytest
from django.template import Context
from django.test import RequestFactory
from django.utils.translation import override

from journal.day_rows import EntryRows
from journal.models import Photo
from tests.conftest import HTMX
from tests.security.html_check import script_risks, shown_text
from tests.security.xss_corpus import PAYLOADS

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def article_of(html: str, entry) -> str:
    begin = html.index(f'<article id="entry-{entry.uuid}"')
    return CSRF.sub("csrf", html[begin : html.index("</article>", begin)])


def make_photo(entry, **fields) -> Photo:
    fields = {"width": 64, "height": 48, "sha256": "0" * 64, **fields}
    return Photo.objects.create(user=entry.user, entry=entry, **fields)


def rendered(entry, **context) -> str:
    request = RequestFactory().get("/")
    with override("ja"):
        rows = EntryRows("token")
        return rows.article(entry, Context({"request": request, **context}))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_descriptions_and_refusals_are_shown_as_text(make_entry, payload):
    entry = make_entry(title=payload[:200], body=payload)
    make_photo(entry, alt=payload[:500])
    html = rendered(entry, photo_errors=[f"{payload}: refused"])
    assert script_risks(html) == []
    text = shown_text(html)
    assert payload[:200].strip() in text
    assert f"{payload}: refused".strip() in text


def test_the_page_and_the_entrys_fragment_show_the_same_article(client, make_entry, make_conflict):
    entry = make_entry(title="<b>太字のつもり</b>", worked=True, starred=True)
    make_photo(entry, alt="ホワイトボード")
    make_conflict(entry, body="遅れて届いた版")
    page = client.get("/days/2026-11-23/").content.decode()
    fragment = client.get(f"/entries/{entry.uuid}/", headers=HTMX).content.decode()
    assert article_of(page, entry) == article_of(fragment, entry)
    assert "&lt;b&gt;太字のつもり&lt;/b&gt;" in article_of(page, entry)
    assert "遅れて届いた版" in article_of(page, entry)


def test_an_entry_has_its_actions_for_its_revision_and_state(make_entry):
    entry = make_entry(worked=True)
    html = rendered(entry)
    assert f'<article id="entry-{entry.uuid}" class="entry is-worked"' in html
    assert f'action="/entries/{entry.uuid}/worked/" hx-post="/entries/{entry.uuid}/worked/"' in html
    assert f'<input type="hidden" name="base_revision" value="{entry.revision}">' in html
    assert '<input type="hidden" name="worked" value="">' in html
    assert 'aria-pressed="true"' in html
    assert f'href="/entries/{entry.uuid}/edit/" hx-get="/entries/{entry.uuid}/edit/"' in html
    assert html.count('<input type="hidden" name="csrfmiddlewaretoken" value="token">') == 3
    assert f'data-target="#photos-{entry.uuid}"' in html
    assert 'data-offline-text="写真の追加にはネットワークが必要です。' in html


def test_an_untitled_entry_and_a_starred_one(make_entry):
    untitled = rendered(make_entry(title=""))
    assert '<span class="untitled">(無題)</span>' in untitled
    starred = rendered(make_entry(title="星", starred=True))
    assert '<span class="entry-star" aria-hidden="true">★</span>' in starred
    assert '<span class="visually-hidden">スター付き: </span>星</h2>' in starred


def test_a_deleted_entry_shows_a_notice_instead_of_its_body_and_actions(make_entry):
    entry = make_entry()
    entry.delete_softly()
    html = rendered(entry)
    assert "この記事は別の端末で削除されました。" in html
    assert "/worked/" not in html
    assert 'class="prose"' not in html


def test_photos_are_in_order_with_the_ends_disabled_and_a_deleted_one_offers_undo(make_entry):
    entry = make_entry()
    first, second = make_photo(entry, position=1), make_photo(entry, position=2, alt="説明")
    gone = make_photo(entry, position=3)
    gone.bump(deleted_at=gone.created_at)
    html = rendered(entry, focus_photo=second.uuid)
    assert html.index(f'id="photo-{first.uuid}"') < html.index(f'id="photo-{second.uuid}"')
    assert html.count('value="earlier" aria-label="前へ移動" disabled') == 1
    assert html.count('value="later" aria-label="後ろへ移動" disabled') == 1
    assert f'href="/photos/{second.uuid}/1600.webp" data-focus data-lightbox' in html
    assert f'src="/photos/{first.uuid}/480.webp" width="64" height="48"' in html
    assert 'alt="説明のない写真"' in html
    assert 'alt="説明"' in html
    assert f'action="/photos/{gone.uuid}/restore/"' in html


def test_the_words_follow_the_users_language(client, user, entry):
    user.journal_settings.language = "en"
    user.journal_settings.save()
    html = client.get("/days/2026-11-23/").content.decode()
    assert "</span> Worked </button>" in html
    assert "Add photos" in html
    assert "稼働" not in article_of(html, entry)
