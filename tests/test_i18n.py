from pathlib import Path

import polib
import pytest
from django.conf import settings
from pytest_django.asserts import assertContains, assertNotContains

CATALOGUE = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po")


def test_the_interface_is_japanese_by_default(client):
    r = client.get("/days/2026-11-23/")
    assertContains(r, '<html lang="ja">')
    assertContains(r, ">2026/11/23(月)</time>")
    assertContains(r, ">今日</a>")
    assertContains(r, ">設定</a>")
    assertContains(r, "<h2>新しい記事</h2>")
    assert r["Content-Language"] == "ja"


def test_the_login_page_is_japanese_before_anyone_logs_in(anonymous_client, user):
    assertContains(anonymous_client.get("/accounts/login/"), '<h1 class="page-title">ログイン</h1>')


def test_english_shows_english_dates_and_navigation(client, user):
    user.journal_settings.language = "en"
    user.journal_settings.save()
    r = client.get("/days/2026-11-23/")
    assertContains(r, '<html lang="en">')
    assertContains(r, ">2026/11/23(Mon)</time>")
    assertContains(r, ">Today</a>")
    assertContains(r, ">Settings</a>")
    assertContains(r, ">11/2026</a>")
    assertNotContains(r, "今日")
    assert r["Content-Language"] == "en"


def test_one_users_language_does_not_leak_into_the_next_request(client, user, anonymous_client):
    user.journal_settings.language = "en"
    user.journal_settings.save()
    client.get("/")
    assertContains(anonymous_client.get("/accounts/login/"), "ログイン")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_every_message_is_translated_into_japanese(catalogue):
    assert len(catalogue) > 50
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid
        else:
            assert entry.msgstr, entry.msgid


def test_translations_keep_their_placeholders(catalogue):
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            for placeholder in ("%(", "%s"):
                assert entry.msgid.count(placeholder) == translation.count(placeholder), entry.msgid


def test_the_compiled_catalogue_matches_the_source(catalogue):
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    def pairs(messages) -> dict:
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
            for entry in messages
            if entry.msgid
        }

    stale = "django.mo is stale: run .venv/bin/python scripts/compile_translations.py"
    assert pairs(compiled) == pairs(catalogue.translated_entries()), stale
