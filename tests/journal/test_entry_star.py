"""The star (Entry.starred, kept from Day One and jrnl): ★ before the title on the day page, the
week page and the timeline, with words for screen readers; set and cleared in the edit form."""

from pytest_django.asserts import assertContains, assertNotContains

from journal.models import ConflictCopy
from tests.conftest import HTMX

STAR = '<span class="entry-star" aria-hidden="true">★</span>'


def edit(client, entry, **changes):
    data = {"title": entry.title, "body": entry.body, "base_revision": entry.revision}
    return client.post(f"/entries/{entry.uuid}/edit/", data | changes, headers=HTMX)


def test_the_day_page_stars_a_starred_entrys_title_for_eyes_and_screen_readers(client, make_entry):
    make_entry(title="星の日", starred=True)
    make_entry(title="ふつうの日")

    r = client.get("/days/2026-11-23/")

    html = r.content.decode()
    assert html.count(STAR) == 1
    assert '★</span><span class="visually-hidden">スター付き: </span>星の日</h2>' in html


def test_the_week_page_and_the_timeline_star_it_too(client, make_entry):
    make_entry(title="星の日", starred=True)

    for url in ("/weeks/2026-11-23/", "/weeks/"):
        r = client.get(url)
        assertContains(r, STAR, count=1)
        assertContains(r, '<span class="visually-hidden">スター付き: </span>星の日')


def test_an_entry_without_a_star_shows_none(client, entry):
    for url in ("/days/2026-11-23/", "/weeks/2026-11-23/", "/weeks/"):
        assertNotContains(client.get(url), "entry-star")


def test_the_edit_form_has_the_star_checked_for_a_starred_entry(client, make_entry):
    entry = make_entry(starred=True)

    r = client.get(f"/entries/{entry.uuid}/edit/", headers=HTMX)

    assertContains(r, "スター ★")
    assertContains(r, f'name="starred" id="entry-{entry.uuid}-starred" checked')


def test_the_create_form_has_no_star(client):
    assertNotContains(client.get("/days/2026-11-23/"), 'name="starred"')


def test_saving_with_the_box_ticked_stars_the_entry(client, entry):
    r = edit(client, entry, starred="on")

    assert r.status_code == 200
    assertContains(r, STAR)
    entry.refresh_from_db()
    assert entry.starred
    assert entry.revision == 2


def test_saving_without_the_box_takes_the_star_off(client, make_entry):
    entry = make_entry(starred=True)

    edit(client, entry)

    entry.refresh_from_db()
    assert not entry.starred


def test_a_plain_post_saves_the_star_and_redirects(client, entry):
    r = client.post(
        f"/entries/{entry.uuid}/edit/",
        {"title": entry.title, "body": entry.body, "base_revision": 1, "starred": "on"},
    )

    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.starred


def test_a_stale_save_does_not_star_and_keeps_the_text_as_a_conflict(client, entry):
    entry.save_revision(1, body="別の端末で先に保存")

    r = edit(client, entry, base_revision=1, starred="on", body="遅れた版")

    assert r.status_code == 409
    entry.refresh_from_db()
    assert not entry.starred
    assert ConflictCopy.objects.get().body == "遅れた版"


def test_an_invalid_save_keeps_the_star_unchanged(client, entry):
    r = edit(client, entry, title="", body=" ", starred="on")

    assert r.status_code == 200
    assertContains(r, "タイトルか本文を書いてください")
    entry.refresh_from_db()
    assert not entry.starred


def test_another_users_entry_cannot_be_starred(client, other_entry):
    r = edit(client, other_entry, starred="on")

    assert r.status_code == 404
    other_entry.refresh_from_db()
    assert not other_entry.starred
