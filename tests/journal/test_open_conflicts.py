from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains


def test_today_lists_every_open_conflict_with_a_link_to_its_entry(
    client, make_entry, make_conflict, travel_to
):
    travel_to("2026-11-25 12:00")
    old = make_entry(title="月曜の記録")
    make_conflict(old)
    r = client.get("/")
    assertContains(r, "未解決の競合が1件あります")
    assertContains(r, f'href="/days/2026-11-23/#entry-{old.uuid}"')


def test_resolved_and_other_users_conflicts_are_not_listed(
    client, make_entry, make_conflict, other_conflict
):
    copy = make_conflict(make_entry())
    copy.mark_resolved()
    r = client.get("/")
    assertNotContains(r, "未解決の競合")
    assertNotContains(r, "他人の日記")


def test_the_list_costs_one_query_however_many_conflicts(
    client, make_entry, make_conflict, django_assert_num_queries
):
    client.get("/")  # the first request of a client does one-time work (session, settings)
    with CaptureQueriesContext(connection) as none:
        client.get("/")
    make_conflict(make_entry())
    with django_assert_num_queries(len(none.captured_queries)) as one:
        client.get("/")
    for n in range(5):
        make_conflict(make_entry(title=f"記録 {n}"))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/")
