"""/archive/ (DESIGN.md §3): the export download, and an import from upload to dry run to done."""

import io
import json
import os
import time
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from archive import import_jobs, importing, views
from archive.import_jobs import ImportJob
from journal.models import Entry
from tests.conftest import HTMX
from weekly.models import Item, Week

FIXTURES = Path(__file__).parent.parent / "weekly" / "fixtures"
JOB_URL = "/archive/imports/{}/"


@pytest.fixture(autouse=True)
def _english(english):
    pass


def report(name: str = "plain_published.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), "text/plain")


def zipped(files: dict[str, bytes], name: str = "reports.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/zip")


def job_id_of(response) -> uuid.UUID:
    return uuid.UUID(response["Location"].rstrip("/").rsplit("/", 1)[1])


def uploaded(client, file=None, fmt: str = "weekly") -> uuid.UUID:
    response = client.post("/archive/imports/", {"file": file or report(), "format": fmt})
    assert response.status_code == 302, response.content.decode()[:2000]
    return job_id_of(response)


# The page


def test_the_page_offers_the_export_and_the_import_form(client):
    r = client.get("/archive/")

    assertContains(r, '<a class="button primary" href="/archive/export.zip" download>')
    assertContains(r, 'action="/archive/imports/" enctype="multipart/form-data"')
    assertNotContains(r, "hx-post")  # the outbox would queue it: an upload needs the network now
    assertContains(r, '<option value="weekly">Weekly reports (.zip, .md or .txt)</option>')
    assertContains(r, "at most 100 MB")
    assertNotContains(r, 'id="import-status"')


def test_the_navigation_links_to_the_page(client):
    assertContains(client.get("/search/"), 'href="/archive/"')


def test_the_page_is_for_the_owner_only(anonymous_client):
    for url in ("/archive/", "/archive/export.zip", JOB_URL.format(uuid.uuid4())):
        r = anonymous_client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith("/accounts/login/")
    r = anonymous_client.post("/archive/imports/", {"file": report(), "format": "weekly"})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_the_page_answers_get_only(client):
    assert client.post("/archive/").status_code == 405
    assert client.post("/archive/export.zip").status_code == 405
    assert client.get("/archive/imports/").status_code == 405
    assert client.put(JOB_URL.format(uuid.uuid4())).status_code == 405


# Export


def test_the_export_is_a_dated_zip_download_of_the_whole_journal(client, user, entry):
    r = client.get("/archive/export.zip")

    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    disposition = r["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tsuzuri-alice-20')
    assert disposition.endswith('.zip"')
    assert "no-store" in r["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))) as archive:
        document = json.loads(archive.read("tsuzuri.json"))
        names = archive.namelist()
    assert str(entry.uuid) in json.dumps(document)
    assert "markdown/days/2026-11-23.md" in names or any("2026-11-23" in n for n in names)


def test_the_export_holds_only_the_owners_journal(client, other_entry):
    r = client.get("/archive/export.zip")

    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))) as archive:
        assert "他人の日記".encode() not in archive.read("tsuzuri.json")


# Upload and dry run


def test_an_upload_is_stored_outside_the_media_and_static_trees_and_redirects(client, settings):
    r = client.post("/archive/imports/", {"file": report(), "format": "weekly"})

    assert r.status_code == 302
    job_id = job_id_of(r)
    assert r["Location"] == JOB_URL.format(job_id)
    folder = Path(settings.TSUZURI_IMPORTS_DIR) / str(job_id)
    assert (folder / "upload").read_bytes() == (FIXTURES / "plain_published.txt").read_bytes()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert not Week.objects.exists()  # a dry run writes nothing


def test_the_dry_run_shows_the_counts_the_lines_and_the_import_button(client):
    job_id = uploaded(client, zipped({"a.md": (FIXTURES / "separate_headings.md").read_bytes()}))

    r = client.get(JOB_URL.format(job_id))

    assertContains(r, "File: reports.zip")
    assertContains(
        r, '<li class="import-count action-create"><span>create</span> <strong>1</strong>'
    )
    assertContains(r, "<summary>1 line to import or skip</summary>")
    assertContains(r, '<code class="import-where">a.md</code>')
    assertContains(r, "week of 2021-01-18「週報 2021年1月18日〜1月24日」")
    assertContains(r, f'<form class="import-start" method="post" action="{JOB_URL.format(job_id)}"')
    assertNotContains(r, 'hx-trigger="every 1s"')


def test_a_dry_run_with_problems_lists_them_and_offers_no_import(client):
    files = {
        "a.md": (FIXTURES / "separate_headings.md").read_bytes(),
        "c-diary.md": (FIXTURES / "diary_entry.md").read_bytes(),
    }
    job_id = uploaded(client, zipped(files))

    r = client.get(JOB_URL.format(job_id))

    assertContains(r, "Some of it cannot be read, so nothing will be imported.")
    assertContains(r, '<ol class="import-lines import-refused">')
    assertContains(r, '<code class="import-where">c-diary.md:3</code>')
    assertContains(
        r, '<li class="import-count action-refuse"><span>refused</span> <strong>1</strong>'
    )
    assertNotContains(r, 'class="import-start"')


def test_the_list_of_lines_is_capped_and_says_so(client, monkeypatch):
    monkeypatch.setattr(views, "LINES_SHOWN", 1)
    files = {
        "a.md": (FIXTURES / "separate_headings.md").read_bytes(),
        "b.txt": (FIXTURES / "plain_published.txt").read_bytes(),
    }
    job_id = uploaded(client, zipped(files))

    r = client.get(JOB_URL.format(job_id))

    assertContains(r, "<summary>2 lines to import or skip</summary>")
    assertContains(r, "The first 1 of 2 are shown.")
    assertNotContains(r, '<code class="import-where">b.txt</code>')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "weekly"}, "Choose a file to import."),
        ({"file": SimpleUploadedFile("r.md", b""), "format": "weekly"}, "The file is empty."),
        ({"file": "not a file", "format": "weekly"}, "Choose a file to import."),
        (
            {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8"), "format": "weekly"},
            "Import a .zip, .json, .md or .txt file; photo.jpg is none of these.",
        ),
        ({"file": report(), "format": "evernote"}, "Choose one of the formats."),
    ],
)
def test_a_bad_upload_shows_the_form_again_with_the_reason(client, settings, data, message):
    r = client.post("/archive/imports/", data)

    assert r.status_code == 200
    assertContains(r, message)
    assertContains(r, 'class="import-form"')
    assert not Path(settings.TSUZURI_IMPORTS_DIR).exists() or not any(
        Path(settings.TSUZURI_IMPORTS_DIR).iterdir()
    )


def test_a_too_big_upload_is_refused_with_the_limit(client, settings):
    settings.TSUZURI_IMPORT_MAX_MB = 0

    r = client.post("/archive/imports/", {"format": "weekly", "file": report()})

    assertContains(r, "The file is larger than 0 MB, the most an import takes.")
    assertNotContains(r, "This field is required")


def test_a_too_big_upload_is_stopped_while_it_arrives_and_never_stored(
    client, settings, monkeypatch
):
    """Past the limit the rest of the body is read and dropped: the handlers that keep a file
    (in memory, or in the data folder's tmp/) get no more than the limit."""
    from django.core.files import uploadhandler

    settings.TSUZURI_IMPORT_MAX_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # so a kept file would go to tmp/
    stored = []
    keep = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        uploadhandler.TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, data, start: stored.append(len(data)) or keep(self, data, start),
    )
    big = SimpleUploadedFile("huge.zip", os.urandom(3 * 1024 * 1024), "application/zip")

    r = client.post("/archive/imports/", {"format": "tsuzuri", "file": big})

    assert r.status_code == 200
    assertContains(r, "The file is larger than 1 MB, the most an import takes.")
    assertContains(r, '<option value="tsuzuri" selected>')  # sent before the file: kept
    assert sum(stored) <= 1024 * 1024
    imports = Path(settings.TSUZURI_IMPORTS_DIR)
    assert not imports.exists() or not any(imports.iterdir())
    after = client.post("/archive/imports/", {"format": "weekly", "file": report()})
    assert after.status_code == 302  # the next, smaller file goes through


def test_an_unreadable_zip_is_refused_and_nothing_is_kept(client, settings):
    r = client.post(
        "/archive/imports/", {"file": zipped({"../evil.md": b"# x"}), "format": "weekly"}
    )

    assertContains(r, "The zip holds a path outside itself (../evil.md); nothing was read.")
    assert not any(Path(settings.TSUZURI_IMPORTS_DIR).iterdir())


# Import


def test_import_runs_the_plan_and_shows_the_counts_and_the_weeks(client, user, settings):
    job_id = uploaded(client)

    r = client.post(JOB_URL.format(job_id))

    assert r.status_code == 302
    assert r["Location"] == JOB_URL.format(job_id)
    week = Week.objects.for_user(user).get()
    assert week.start_date == date(2022, 3, 7)
    assert Item.objects.for_user(user).filter(week=week).count() == 9
    page = client.get(JOB_URL.format(job_id))
    assertContains(page, "<h3>Imported</h3>")
    assertContains(page, '<a href="/weeks/2022-03-07/">2022-03-07</a>')
    assertNotContains(page, 'hx-trigger="every 1s"')
    assert not (Path(settings.TSUZURI_IMPORTS_DIR) / str(job_id) / "upload").exists()


def test_an_import_is_run_once(client, user):
    job_id = uploaded(client)
    client.post(JOB_URL.format(job_id))

    client.post(JOB_URL.format(job_id))

    assert Week.objects.for_user(user).count() == 1
    assert Item.objects.for_user(user).count() == 9


def test_an_import_with_problems_cannot_be_started(client, user):
    job_id = uploaded(client, report("diary_entry.md"))

    r = client.post(JOB_URL.format(job_id))

    assert r.status_code == 302
    assert not Week.objects.exists()
    assertContains(client.get(JOB_URL.format(job_id)), "nothing will be imported")


def test_a_week_written_since_the_dry_run_fails_the_import_and_nothing_is_kept(client, user):
    files = {
        "a.md": (FIXTURES / "plain_published.txt").read_bytes(),
        "b.md": (FIXTURES / "kpt_labels.txt").read_bytes(),
    }
    job_id = uploaded(client, zipped(files))
    client.post("/archive/imports/", {"file": report("separate_headings.md"), "format": "weekly"})
    client.post(JOB_URL.format(uploaded(client, report("separate_headings.md"))))

    client.post(JOB_URL.format(job_id))

    r = client.get(JOB_URL.format(job_id))
    assertContains(r, "<h3>The import failed</h3>")
    assertContains(r, "Nothing was imported: the journal is as it was before.")
    assert list(Week.objects.for_user(user).values_list("start_date", flat=True)) == [
        date(2021, 1, 18)
    ]


def test_a_running_import_shows_its_progress_and_polls(client, user):
    job_id = uploaded(client)
    job = ImportJob.get(user, job_id)
    job.set_state("running", done=1234, total=3000)

    page = client.get(JOB_URL.format(job_id))
    fragment = client.get(JOB_URL.format(job_id), headers=HTMX)

    assertContains(page, '<div class="import-live" aria-live="polite">')
    assertContains(page, '<progress max="3000" value="1234">')
    assertContains(page, "1,234 / 3,000")
    assertContains(page, f'<a href="{JOB_URL.format(job_id)}">Refresh</a>')
    assertContains(fragment, f'hx-get="{JOB_URL.format(job_id)}" hx-trigger="every 1s"')
    assertContains(fragment, '<div id="import-status"')
    assertNotContains(fragment, "<html")
    assertNotContains(fragment, '<section id="import"')


def test_a_running_import_that_stopped_moving_is_shown_as_failed(client, user, monkeypatch):
    job_id = uploaded(client)
    ImportJob.get(user, job_id).set_state("running", done=1, total=3)
    later = time.time() + import_jobs.STALE_AFTER_SECONDS + 1
    monkeypatch.setattr(import_jobs.time, "time", lambda: later)

    r = client.get(JOB_URL.format(job_id))

    assertContains(r, "The import stopped before it ended")
    assertNotContains(r, 'hx-trigger="every 1s"')


def test_another_users_import_is_not_found(client, other_user):
    other = Client()
    other.force_login(other_user)
    job_id = uploaded(other)

    assert client.get(JOB_URL.format(job_id)).status_code == 404
    assert client.post(JOB_URL.format(job_id)).status_code == 404
    assert client.get(JOB_URL.format(job_id), headers=HTMX).status_code == 404
    assert not Week.objects.exists()


def test_an_unknown_import_is_not_found(client):
    assert client.get(JOB_URL.format(uuid.uuid4())).status_code == 404
    assert client.get("/archive/imports/not-a-uuid/").status_code == 404


def test_imports_older_than_a_day_are_swept_when_a_file_arrives(client, settings):
    old = uploaded(client)
    folder = Path(settings.TSUZURI_IMPORTS_DIR) / str(old)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(folder, (two_days_ago, two_days_ago))

    new = uploaded(client)

    assert not folder.exists()
    assert (Path(settings.TSUZURI_IMPORTS_DIR) / str(new)).exists()


def test_a_day_one_journal_is_imported_with_links_to_its_days(client, user):
    journal = {
        "metadata": {"version": "1.0"},
        "entries": [
            {
                "uuid": "A1B2C3D4E5F60718293A4B5C6D7E8F90",
                "creationDate": "2024-05-02T03:00:00Z",
                "timeZone": "Asia/Tokyo",
                "text": "# 朝の散歩\n川沿いを歩いた。",
            }
        ],
    }
    file = SimpleUploadedFile("Journal.json", json.dumps(journal).encode(), "application/json")
    job_id = uploaded(client, file, fmt="dayone")

    client.post(JOB_URL.format(job_id))

    entry = Entry.objects.for_user(user).get()
    assert entry.title == "朝の散歩"
    assertContains(client.get(JOB_URL.format(job_id)), '<a href="/days/2024-05-02/">2024-05-02</a>')


def test_an_export_imported_again_after_a_loss_brings_the_days_back(client, user, make_entry):
    entry = make_entry(title="失くしたくない日")
    export = b"".join(client.get("/archive/export.zip").streaming_content)
    Entry.objects.filter(pk=entry.pk).delete()

    file = SimpleUploadedFile("tsuzuri.zip", export, "application/zip")
    job_id = uploaded(client, file, fmt="tsuzuri")
    client.post(JOB_URL.format(job_id))

    restored = Entry.objects.for_user(user).get()
    assert (restored.uuid, restored.title) == (entry.uuid, "失くしたくない日")
    assertContains(client.get(JOB_URL.format(job_id)), '<a href="/days/2026-11-23/">2026-11-23</a>')


def test_the_links_to_written_days_are_capped_and_say_so(client, user, monkeypatch):
    monkeypatch.setattr(views, "LINKS_SHOWN", 1)
    job_id = uploaded(client)
    ImportJob.get(user, job_id).set_state(
        "done", counts={"create": 2}, days=[], weeks=["2021-01-18", "2022-03-07"]
    )

    r = client.get(JOB_URL.format(job_id))

    assertContains(r, '<a href="/weeks/2021-01-18/">')
    assertNotContains(r, '<a href="/weeks/2022-03-07/">')
    assertContains(r, "The first 1 of 2 are shown.")


def test_replacing_a_written_week_is_offered_for_weekly_reports(client, user):
    client.post(JOB_URL.format(uploaded(client, report("separate_headings.md"))))
    data = {"file": report("kpt_labels.txt"), "format": "weekly", "replace": "on"}

    job_id = job_id_of(client.post("/archive/imports/", data))
    r = client.get(JOB_URL.format(job_id))

    assertContains(
        r, '<li class="import-count action-update"><span>update</span> <strong>1</strong>'
    )
    client.post(JOB_URL.format(job_id))
    texts = Item.objects.for_user(user).alive().values_list("text", flat=True)
    assert "英語のポッドキャストを毎日聞いた" in texts


def test_a_reader_that_fails_on_a_file_shows_a_message_not_an_error_page(
    client, settings, monkeypatch
):
    def broken(user, source, **options):
        raise TypeError("a bug")

    monkeypatch.setitem(importing.READERS, "weekly", broken)

    r = client.post("/archive/imports/", {"file": report(), "format": "weekly"})

    assert r.status_code == 200
    assertContains(r, "The file could not be read in this format.")
    assert not any(Path(settings.TSUZURI_IMPORTS_DIR).iterdir())


def test_an_import_swept_while_its_page_was_open_is_not_found(client, user, settings):
    job_id = uploaded(client)
    (Path(settings.TSUZURI_IMPORTS_DIR) / str(job_id) / "state.json").unlink()

    assert client.get(JOB_URL.format(job_id), headers=HTMX).status_code == 404
