"""base.html keeps its fixed parts with {% cache %}: what varies must still follow each request."""

import re
from datetime import date

from django.test import Client

CSRF = re.compile(r'<form method="post" action="/accounts/logout/"[^>]*>\s*'
                  r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')  # fmt: skip


def test_the_header_follows_a_new_journal_title_and_language(client, user):
    assert (
        '<a class="brand" href="/">研究日記</a>' in client.get("/months/2026-11/").content.decode()
    )
    prefs = user.journal_settings
    prefs.title, prefs.language = "<新しい>日記", "en"
    prefs.save()
    html = client.get("/months/2026-11/").content.decode()
    assert '<a class="brand" href="/">&lt;新しい&gt;日記</a>' in html
    assert ">Timeline</a>" in html
    assert ">Keyboard shortcuts <kbd>?</kbd>" in html


def test_the_week_and_month_links_follow_the_day(client, travel_to):
    travel_to("2026-11-23 12:00")
    assert 'href="/weeks/2026-11-23/" data-shortcut="w"' in client.get("/").content.decode()
    travel_to("2026-12-02 12:00")
    html = client.get("/").content.decode()
    assert 'href="/weeks/2026-12-02/" data-shortcut="w"' in html
    assert '<a href="/months/2026-12/">' in html


def test_each_session_gets_its_own_logout_token_and_the_login_link_its_path(client, user):
    other = Client()
    other.force_login(user)
    mine, theirs = client.get("/days/2026-11-23/"), other.get("/months/2026-11/")
    assert CSRF.search(mine.content.decode()).group(1) != CSRF.search(
        theirs.content.decode()
    ).group(1)
    assert 'href="/accounts/login/?next=/days/2026-11-23/"' in mine.content.decode()
    assert 'href="/accounts/login/?next=/months/2026-11/"' in theirs.content.decode()


def test_a_visitor_sees_no_journal_links(anonymous_client, user):
    html = anonymous_client.get("/accounts/login/").content.decode()
    assert '<span class="brand">綴り Tsuzuri</span>' in html
    assert 'id="outbox"' not in html
    assert 'data-shortcut="t"' not in html


def test_the_weeks_progress_follows_each_worked_day_and_the_language(
    client, user, make_entry, travel_to
):
    travel_to("2026-11-25 12:00")
    progress = client.get("/progress/", headers={"HX-Request": "true"}).content.decode()
    assert '<span aria-hidden="true">0/3</span>' in progress
    make_entry(date=date(2026, 11, 24), worked=True)
    progress = client.get("/progress/", headers={"HX-Request": "true"}).content.decode()
    assert '<span class="dots" aria-hidden="true">●○○</span>' in progress
    assert "目標3日のうち1日稼働" in progress
    user.journal_settings.language = "en"
    user.journal_settings.save()
    progress = client.get("/progress/", headers={"HX-Request": "true"}).content.decode()
    assert "1 of 3 target days worked" in progress
