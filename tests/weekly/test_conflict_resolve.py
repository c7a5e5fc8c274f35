"""Conflict copies of KPT items, reading notes and the week's head: shown on the week page and
resolved by keep mine / keep the current one (editing both together: the edit views' tests)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.conftest import HTMX
from weekly.models import WeeklyConflictCopy, save_or_conflict

WEEK = "/weeks/2026-11-23/"


def resolve_url(copy) -> str:
    return f"/weeks/2026-11-23/conflicts/{copy.uuid}/resolve/"


def item_conflict(item, text="遅れて届いた文") -> WeeklyConflictCopy:
    base = item.revision
    item.save_revision(base, text="先に保存した文")
    return save_or_conflict(item, base, text=text)


def note_conflict(note, impressions="遅れて届いた感想") -> WeeklyConflictCopy:
    base = note.revision
    note.save_revision(base, impressions="先に保存した感想")
    return save_or_conflict(note, base, title=note.title, impressions=impressions)


def week_conflict(week, summary="遅れて届いた要約") -> WeeklyConflictCopy:
    base = week.revision
    week.save_revision(base, summary="先に保存した要約")
    return save_or_conflict(week, base, title=week.title, summary=summary)


def test_a_won_save_stores_no_copy(make_item):
    item = make_item()
    assert save_or_conflict(item, 1, text="新しい文") is None
    assert not WeeklyConflictCopy.objects.exists()


def test_the_week_page_shows_each_conflict_at_its_object(client, make_item, make_note, make_week):
    item, note = make_item("元の文"), make_note()
    item_copy, note_copy = item_conflict(item), note_conflict(note)
    week_copy = week_conflict(make_week())
    r = client.get(WEEK)
    html = r.content.decode()
    assert html.count('<section class="conflict"') == 3
    row = html[html.index(f'id="item-row-{item.uuid}"') :]
    assert row.index(f"conflict-{item_copy.uuid}") < row.index('id="section-problem"')
    assertContains(r, "遅れて届いた文")
    note_html = html[html.index(f'<article id="note-{note.uuid}"') :]
    assert f"conflict-{note_copy.uuid}" in note_html[: note_html.index("</article>")]
    assertContains(r, "遅れて届いた感想")
    head = html[html.index('<header id="week-head"') :]
    assert f"conflict-{week_copy.uuid}" in head[: head.index("</header>")]
    assertContains(r, "遅れて届いた要約")


def test_a_conflict_on_an_item_deleted_elsewhere_stays_visible(client, make_item):
    item = make_item("元の文")
    copy = item_conflict(item)
    item.delete_softly()
    r = client.get(WEEK)
    assertContains(r, '<ul class="kpt-list unlisted"')
    assertContains(r, f"conflict-{copy.uuid}")
    assertContains(r, "別の端末で削除されました")
    assertNotContains(r, f"?merge={copy.uuid}")


def test_a_conflict_on_a_note_deleted_elsewhere_stays_visible(client, make_note):
    note = make_note()
    copy = note_conflict(note)
    note.bump(deleted_at=note.created_at)
    r = client.get(WEEK)
    assertContains(r, f"conflict-{copy.uuid}")
    assertContains(r, "この気になったことは別の端末で削除されました。")


def test_keeping_mine_on_an_item_saves_it_and_answers_the_section(client, make_item):
    item = make_item("元の文")
    copy = item_conflict(item)
    r = client.post(resolve_url(copy), {"choice": "mine"}, headers=HTMX)
    assert r.status_code == 200
    assertContains(r, '<div id="section-keep"')
    assertContains(r, "遅れて届いた文")
    assertNotContains(r, '<section class="conflict"')
    assertNotContains(r, "<html")
    item.refresh_from_db()
    assert (item.text, item.revision) == ("遅れて届いた文", 3)
    copy.refresh_from_db()
    assert copy.resolved_at is not None


def test_keeping_mine_brings_a_deleted_item_back(client, make_item):
    item = make_item("元の文")
    copy = item_conflict(item)
    item.delete_softly()
    client.post(resolve_url(copy), {"choice": "mine"})
    item.refresh_from_db()
    assert (item.deleted_at, item.text) == (None, "遅れて届いた文")


def test_keeping_mine_on_a_note_answers_the_reading_section(client, make_note):
    note = make_note()
    copy = note_conflict(note)
    r = client.post(resolve_url(copy), {"choice": "mine"}, headers=HTMX)
    assertContains(r, '<div id="reading-section"')
    note.refresh_from_db()
    assert note.impressions == "遅れて届いた感想"
    assert note.impressions_html == "<p>遅れて届いた感想</p>\n"


def test_keeping_mine_on_the_week_answers_its_head(client, make_week):
    week = make_week()
    copy = week_conflict(week)
    r = client.post(resolve_url(copy), {"choice": "mine"}, headers=HTMX)
    assertContains(r, '<header id="week-head"')
    assertContains(r, "遅れて届いた要約")
    assertNotContains(r, '<section class="conflict"')
    week.refresh_from_db()
    assert week.summary == "遅れて届いた要約"


def test_keeping_theirs_without_javascript_redirects_to_the_object(client, make_item):
    item = make_item("元の文")
    copy = item_conflict(item)
    r = client.post(resolve_url(copy), {"choice": "theirs"})
    assertRedirects(r, f"{WEEK}#item-{item.uuid}", fetch_redirect_response=False)
    item.refresh_from_db()
    assert (item.text, item.revision) == ("先に保存した文", 2)
    copy.refresh_from_db()
    assert copy.resolved_at is not None
    assertNotContains(client.get(WEEK), '<section class="conflict"')


def test_keeping_mine_without_javascript_redirects_to_the_week_head(client, make_week):
    copy = week_conflict(make_week())
    r = client.post(resolve_url(copy), {"choice": "mine"})
    assertRedirects(r, f"{WEEK}#week-head", fetch_redirect_response=False)


def test_a_bad_choice_is_a_bad_request(client, make_item):
    copy = item_conflict(make_item())
    assert client.post(resolve_url(copy), {"choice": "both"}).status_code == 400
    assert client.post(resolve_url(copy)).status_code == 400
    copy.refresh_from_db()
    assert copy.resolved_at is None


def test_it_rejects_other_methods(client, make_item):
    copy = item_conflict(make_item())
    assert client.get(resolve_url(copy)).status_code == 405
    assert client.put(resolve_url(copy)).status_code == 405


def test_it_answers_404_for_another_users_conflict(client, make_item, other_user):
    bobs = make_item("ボブのKeep", user=other_user)
    copy = item_conflict(bobs, text="ボブの遅れた文")
    for headers in ({}, HTMX):
        r = client.post(resolve_url(copy), {"choice": "mine"}, headers=headers)
        assert r.status_code == 404
    bobs.refresh_from_db()
    assert bobs.text == "先に保存した文"
    copy.refresh_from_db()
    assert copy.resolved_at is None


def test_it_answers_404_for_a_resolved_conflict_or_another_week(client, make_item):
    copy = item_conflict(make_item())
    other_week = f"/weeks/2026-11-30/conflicts/{copy.uuid}/resolve/"
    assert client.post(other_week, {"choice": "mine"}).status_code == 404
    copy.mark_resolved()
    assert client.post(resolve_url(copy), {"choice": "mine"}).status_code == 404


def test_it_requires_a_csrf_token(client, make_item):
    copy = item_conflict(make_item())
    client.handler.enforce_csrf_checks = True
    assert client.post(resolve_url(copy), {"choice": "mine"}).status_code == 403
    copy.refresh_from_db()
    assert copy.resolved_at is None


def test_the_week_page_asks_for_conflicts_only_when_it_has_some(
    client, make_item, django_assert_num_queries
):
    item = make_item("元の文")
    with CaptureQueriesContext(connection) as without:
        client.get(WEEK)
    item_conflict(item)
    with django_assert_num_queries(len(without.captured_queries) + 1):
        client.get(WEEK)
    for n in range(4):
        item_conflict(make_item(f"項目 {n}"))
    with django_assert_num_queries(len(without.captured_queries) + 1):
        client.get(WEEK)


def test_today_lists_weekly_conflicts_next_to_entries_in_one_query(
    client, make_item, make_note, make_week, make_entry, make_conflict, django_assert_num_queries
):
    make_conflict(make_entry())
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    item, note = make_item("元の文"), make_note()
    item_conflict(item)
    note_conflict(note)
    week_conflict(make_week())
    with django_assert_num_queries(len(one.captured_queries)):
        r = client.get("/")
    assertContains(r, "未解決の競合が4件あります")
    assertContains(r, f'href="{WEEK}#item-{item.uuid}"')
    assertContains(r, f'href="{WEEK}#note-{note.uuid}"')
    assertContains(r, f'href="{WEEK}#week-head"')
    assertContains(r, "先に保存した文")  # named as the item reads now


def test_today_leaves_out_resolved_and_other_users_weekly_conflicts(client, make_item, other_user):
    item_conflict(make_item("ボブのKeep", user=other_user), text="ボブの遅れた文")
    item_conflict(make_item("元の文")).mark_resolved()
    r = client.get("/")
    assertNotContains(r, "未解決の競合")
    assertNotContains(r, "ボブ")
