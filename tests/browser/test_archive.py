"""/archive/ in Chromium: an upload, its dry run, the import running in a thread and the page
following it to the end; the export downloaded past the service worker; and every state of the
import at phone and desktop widths, light and dark (screenshots in test-artifacts/screenshots/)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import Page, expect

from archive.import_jobs import ImportJob
from tests.browser.test_a11y import assert_none, check_pages
from tests.browser.test_offline_reading import WAIT_CONTROLLED
from weekly.models import Week

FIXTURES = Path(__file__).parent.parent / "weekly" / "fixtures"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_an_upload_is_checked_then_imported_with_its_progress_followed_to_the_end(
    logged_in_page: Page, live_server, user, settings
):
    settings.TSUZURI_IMPORT_THREADS = True  # as served: the import runs in a thread
    page = logged_in_page
    page.goto(live_server.url + "/archive/")

    page.locator("#id_file").set_input_files(FIXTURES / "plain_published.txt")
    page.locator("#id_format").select_option("weekly")
    page.get_by_role("button", name="ファイルを確かめる").click()

    expect(page.locator("#import-status h3")).to_have_text("取り込むと、こうなります")
    expect(page.locator(".import-count.action-create strong")).to_have_text("1")
    assert "/archive/imports/" in page.url  # the dry run has an address of its own
    assert not Week.objects.exists()
    page.locator(".import-details > summary").click()
    expect(page.locator(".import-details .import-what")).to_contain_text("2022-03-07 の週")

    page.get_by_role("button", name="取り込む", exact=True).click()

    expect(page.locator("#import-status h3")).to_have_text("取り込みました")
    expect(page.locator(".import-links a")).to_have_text("2022-03-07")
    assert Week.objects.for_user(user).get().start_date.isoformat() == "2022-03-07"
    page.locator(".import-links a").click()
    expect(page.locator("h1")).to_contain_text("Weekly Report 2022/03/07-03/13")


def test_a_file_over_the_limit_is_refused_with_the_reason_as_it_arrives(
    logged_in_page: Page, live_server, settings
):
    """The server stops keeping the file at the limit but reads the rest, so the browser,
    still sending, gets the page with the reason rather than a dropped connection."""
    settings.TSUZURI_IMPORT_MAX_MB = 1
    page = logged_in_page
    page.goto(live_server.url + "/archive/")
    big = {"name": "old-journal.zip", "mimeType": "application/zip", "buffer": b"\0" * (6 << 20)}
    page.locator("#id_format").select_option("dayone")
    page.locator("#id_file").set_input_files(big)
    page.get_by_role("button", name="ファイルを確かめる").click()

    expect(page.locator("#id_file_error")).to_contain_text("1 MB を超えています")
    expect(page.locator("#id_file")).to_be_visible()  # the form is there to choose another
    expect(page.locator("#id_format")).to_have_value("dayone")  # and keeps the app chosen


def test_the_export_downloads_past_the_service_worker_and_is_never_kept(
    logged_in_page: Page, live_server, user
):
    page = logged_in_page
    page.goto(live_server.url + "/archive/")
    page.evaluate(WAIT_CONTROLLED)

    with page.expect_download() as download:
        page.get_by_role("link", name="日記をまるごとダウンロード(.zip)").click()

    assert download.value.suggested_filename.startswith("tsuzuri-alice-")
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "tsuzuri.json" in archive.namelist()
    kept = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys())
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
          return urls;
        }"""
    )
    assert not [url for url in kept if "/archive/" in url]


def a_job(user, files: dict[str, bytes]) -> ImportJob:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    upload = SimpleUploadedFile("週報まとめ-2021.zip", buffer.getvalue())
    with translation.override("ja"):
        return ImportJob.create(user, upload, "weekly", {})


@pytest.fixture
def every_state(user) -> list[tuple[str, str]]:
    good = {
        "2021/01-18 週報.md": (FIXTURES / "separate_headings.md").read_bytes(),
        "2022/03-07 週報.txt": (FIXTURES / "plain_published.txt").read_bytes(),
    }
    refused = a_job(
        user,
        good
        | {
            "2021/01-20 日記.md": (FIXTURES / "diary_entry.md").read_bytes(),
            "2021/01-19 同じ週.txt": (FIXTURES / "kpt_labels.txt").read_bytes(),
            "画像.txt": b"# x\n\x89PNG\r\n\x1a\n",
        },
    )
    planned = a_job(user, good)
    running = a_job(user, good)
    running.set_state("running", done=1234, total=3000)
    done = a_job(user, good)
    with translation.override("ja"):
        done.start(user)
    return [
        ("archive-empty", "/archive/"),
        ("archive-dry-run-refused", f"/archive/imports/{refused.id}/"),
        ("archive-dry-run", f"/archive/imports/{planned.id}/"),
        ("archive-progress", f"/archive/imports/{running.id}/"),
        ("archive-done", f"/archive/imports/{done.id}/"),
    ]


def test_every_state_of_an_import_fits_phone_and_desktop_in_light_and_dark(
    logged_in_page: Page, live_server, every_state
):
    page = logged_in_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, height in [(390, 844), (1280, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for name, path in every_state:
                page.goto(live_server.url + path)
                details = page.locator(".import-details")
                if details.count():  # the lines, shown open in the screenshot
                    details.evaluate("(element) => { element.open = true; }")
                page.screenshot(path=SHOTS / f"{name}-{width}-{scheme}.png", full_page=True)
                if page.evaluate(SIDEWAYS) > 0:
                    problems.append(f"{name} at {width} px scrolls sideways")
    assert not problems, "\n".join(problems)
    page.goto(live_server.url + every_state[3][1])
    expect(page.locator("progress")).to_have_attribute("value", "1234")
    expect(page.locator(".import-progress-text")).to_have_text("1,234 / 3,000")


def test_every_state_of_an_import_has_no_accessibility_violations(
    logged_in_page: Page, live_server, every_state
):
    assert_none(check_pages(logged_in_page, live_server.url, [path for _, path in every_state]))


def test_an_import_works_without_javascript(page_without_js: Page, live_server, user, settings):
    settings.TSUZURI_IMPORT_THREADS = True
    page = page_without_js
    page.goto(live_server.url + "/archive/")
    page.locator("#id_file").set_input_files(FIXTURES / "kpt_labels.txt")
    page.locator("#id_format").select_option("weekly")
    page.get_by_role("button", name="ファイルを確かめる").click()
    expect(page.locator(".import-count.action-create strong")).to_have_text("1")

    page.get_by_role("button", name="取り込む", exact=True).click()
    for _ in range(100):  # the thread may still be running: the Refresh link shows the state
        if not page.locator(".import-running").count():
            break
        page.get_by_role("link", name="最新の状態を見る").click()

    expect(page.locator("#import-status h3")).to_have_text("取り込みました")
    assert Week.objects.for_user(user).get().start_date.isoformat() == "2021-01-18"
