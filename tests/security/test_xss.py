"""The XSS corpus (tests/security/xss_corpus.py) through every field that shows user text.

Each payload is written the way a user (or the offline outbox, or the importer) writes it: entry
titles and Markdown bodies, conflict copies, KPT items, reading notes (title, link, notes, 感想),
week titles and summaries, the journal's title and goal, search queries, and the weekly report
importer. Then every page and fragment that shows them is rendered once, with all the payloads
in it, and parsed (tests/security/html_check.py): no element, attribute or URL that could run
script. Every payload carries a marker (zx000zx…) and each page is checked to show its markers,
so a page that silently dropped the text would not pass.
"""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from journal.models import ConflictCopy, Entry, JournalSettings
from tests.conftest import DAY
from weekly.forms import ReadingNoteForm
from weekly.models import Item, ReadingNote, Week

from .html_check import script_risks, shown_text
from .routes import make_photo, photo_model
from .xss_corpus import PAYLOADS

HTMX = {"HX-Request": "true"}
CLIENT = Client()  # one for the module: a new Client reloads the middleware (WhiteNoise scans)


def marker(i: int) -> str:
    return f"zx{i:03d}zx"


def titled(i: int, payload: str, limit: int) -> str:
    """A one-line field: the marker first, so the cut at the field's limit keeps it."""
    return f"{marker(i)} {payload}"[:limit]


def markdown(i: int, payload: str) -> str:
    return f"{payload}\n\n{marker(i)}"


def check(response, where: str, markers=()) -> str:
    assert response.status_code < 500, where
    if response.status_code in (301, 302) or not response.content:
        return ""
    content_type = response.get("Content-Type", "")
    assert content_type.startswith(("text/html", "application/json")), (where, content_type)
    html = response.content.decode()
    risks = script_risks(html)
    assert not risks, f"{where}:\n" + "\n".join(risks[:20])
    text = shown_text(html)
    missing = [m for m in markers if m not in text]
    assert not missing, f"{where} does not show {missing[:10]}"
    return html


def get(url: str, markers=(), **headers):
    return check(CLIENT.get(url, headers=headers), f"GET {url}", markers)


def post(url: str, data: dict, markers=(), **headers):
    return check(CLIENT.post(url, data, headers=headers), f"POST {url}", markers)


@pytest.fixture
def owner(user):
    CLIENT.cookies.clear()
    CLIENT.force_login(user)
    return user


ALL = [marker(i) for i in range(len(PAYLOADS))]


def test_the_corpus_is_large_and_has_the_advisories_payloads():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "<embed",
                   "<noscript>", "formaction", "<!--><img", "<![CDATA[", "jav&#x09;ascript",
                   "</textarea>", "<iframe srcdoc", "{{", "\u202e", "<math>"):  # fmt: skip
        assert any(needle in payload for payload in PAYLOADS), needle


def test_the_checker_sees_what_it_must():
    """Guards every test below: a page with any of these is not clean."""
    for bad in ('<img src=x onerror="alert(1)">', '<a href="jav&#x09;ascript:alert(1)">x</a>',
                "<script>alert(1)</script>", "<iframe srcdoc=x></iframe>", '<p style="x">',
                '<a href=" \x01JAVASCRIPT:alert(1)">', "<svg></svg>", '<div hx-on:click="x">',
                '<meta http-equiv="refresh" content="0">', '<form action="javascript:x">',
                '<a href="data:text/html,x">', "<textarea></textarea><script>x</script>",
                '<div hx-get="https://evil.example/">', '<script src="//evil.example">',
                ):  # fmt: skip
        assert script_risks(bad), bad
    clean = '<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="/days/2026-11-23/">x</a></p>'
    assert not script_risks(clean)


def test_entries_their_conflicts_and_every_page_showing_them(owner):
    created = []
    for i, payload in enumerate(PAYLOADS):
        data = {"date": DAY, "title": titled(i, payload, 200), "body": markdown(i, payload),
                "uuid": str(uuid.uuid4())}  # fmt: skip
        if i % 2:  # the outbox's way: htmx with an Idempotency-Key, the fragment comes back
            key = str(uuid.uuid4())
            headers = {**HTMX, "Idempotency-Key": key}
            html = post("/entries/new/", data, [marker(i)], **headers)
            replayed = CLIENT.post("/entries/new/", data, headers=headers)
            assert replayed["Idempotent-Replayed"] == "true"
            assert replayed.content.decode() == html
        else:
            post("/entries/new/", data)
        created.append(data["uuid"])
    entries = {str(e.uuid): e for e in Entry.objects.for_user(owner)}
    assert len(entries) == len(PAYLOADS)
    # A stale save of every entry: the losing text is kept as a conflict copy, shown in place.
    for i, payload in enumerate(PAYLOADS):
        entry = entries[created[i]]
        entry.save_revision(entry.revision, worked=True)
        stale = {"title": titled(i, payload[::-1], 200), "body": markdown(i, payload[::-1]),
                 "base_revision": 1}  # fmt: skip
        response = CLIENT.post(f"/entries/{entry.uuid}/edit/", stale, headers=HTMX)
        assert response.status_code == 409
        check(response, f"conflict of payload {i}", [marker(i)])
    assert ConflictCopy.objects.for_user(owner).count() == len(PAYLOADS)

    get(f"/days/{DAY}/", ALL)
    get("/", ALL)  # today lists every open conflict
    get(f"/weeks/{DAY}/", ALL)
    get(f"/weeks/{DAY}/report/")
    get("/weeks/", ALL)
    get(f"/months/{DAY:%Y-%m}/")
    get(f"/years/{DAY.year}/")
    conflicts = ConflictCopy.objects.for_user(owner).select_related("entry")
    for n, conflict in enumerate(conflicts):  # both texts in one box, to be merged by hand
        url = f"/entries/{conflict.entry.uuid}/edit/?merge={conflict.uuid}"
        get(url, **HTMX)
        if n % 10 == 0:
            get(url)
    for entry_uuid in created[:10]:
        get(f"/entries/{entry_uuid}/", **HTMX)
    for query in ("alert", "onerror", "script", "javascript", "img", "zx001zx"):
        get(f"/search/?q={query}")
        get(f"/search/?q={query}&kind=entry", **HTMX)


def test_kpt_items_and_every_page_showing_them(owner):
    start = DAY - timedelta(days=7)
    for i, payload in enumerate(PAYLOADS):
        data = {"text": titled(i, payload, 2000), "section": ("keep", "problem")[i % 2],
                "is_try": "on" if i % 4 == 1 else "", "uuid": str(uuid.uuid4())}  # fmt: skip
        if i % 10 == 0:
            post(f"/weeks/{start}/items/", data, [marker(i)], **HTMX)
        else:
            post(f"/weeks/{start}/items/", data)
    items = list(Item.objects.for_user(owner).filter(week__start_date=start))
    assert len(items) == len(PAYLOADS)
    tries = [marker(i) for i in range(len(PAYLOADS)) if i % 4 == 1]

    get(f"/weeks/{start}/", ALL)
    get(f"/weeks/{start}/board/", ALL)
    get(f"/weeks/{start}/report/", ALL)
    get(f"/weeks/{DAY}/", tries)  # last week's Tries, to review
    get("/weeks/", tries)
    get(f"/weeks/{start}/items/?section=keep", **HTMX)
    get(f"/weeks/{start}/items/?section=problem", **HTMX)
    for n, item in enumerate(items):  # edit forms: text in a textarea; rows: as on the page
        get(f"/weeks/{start}/items/{item.uuid}/edit/", **HTMX)
        if n % 5 == 0:
            get(f"/weeks/{start}/items/{item.uuid}/", **HTMX)
    for item in items[:10]:  # the edit form without JavaScript, and a save through it
        get(f"/weeks/{start}/items/{item.uuid}/edit/")
        post(f"/weeks/{start}/items/{item.uuid}/edit/",
             {"text": item.text[::-1], "base_revision": item.revision}, **HTMX)  # fmt: skip
    get("/search/?q=onerror&kind=item")
    get("/search/?q=alert&kind=item", **HTMX)


BAD_LINKS = [payload for payload in PAYLOADS if payload.lower().startswith(("java", "data"))]
BAD_LINKS += ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
              "java\tscript:alert(1)", "vbscript:msgbox(1)", "javascript://example.com/%0aalert(1)",
              "jav&#x09;ascript:alert(1)", "&#106;avascript:alert(1)", "%6Aavascript:alert(1)",
              "\x01javascript:alert(1)", "file:///etc/passwd", "//evil.example/x",
              "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"]  # fmt: skip


def link_for(payload: str) -> str:
    if payload.lower().startswith(("http", "javascript", "data")):
        return payload
    return "https://example.com/?q=" + payload


def test_reading_notes_and_every_page_showing_them(owner):
    def note(i: int, payload: str, url: str) -> dict:
        return {"title": titled(i, payload, 300), "url": url, "kind": "article",
                "notes": markdown(i, payload), "impressions": markdown(i, payload),
                "uuid": str(uuid.uuid4())}  # fmt: skip

    # Links that are not http(s) first, while the section is short: the form says why, with
    # the text kept as typed; a link saved at all is http(s).
    for i, link in enumerate(BAD_LINKS):
        data = note(i, PAYLOADS[i], link)
        check(CLIENT.post(f"/weeks/{DAY}/reading/", data, headers=HTMX), link, [marker(i)])
    links = ReadingNote.objects.for_user(owner).values_list("url", flat=True)
    assert all(url.startswith(("https://", "http://")) for url in links), links
    ReadingNote.objects.for_user(owner).delete()
    for i, payload in enumerate(PAYLOADS):
        url = link_for(payload)
        if not ReadingNoteForm({"title": "t", "url": url, "kind": "article"}).is_valid():
            url = "https://example.com/"
        if i % 10 == 0:
            post(f"/weeks/{DAY}/reading/", note(i, payload, url), [marker(i)], **HTMX)
        else:
            post(f"/weeks/{DAY}/reading/", note(i, payload, url))
    notes = list(ReadingNote.objects.for_user(owner).filter(week__start_date=DAY))
    assert len(notes) == len(PAYLOADS)

    get(f"/weeks/{DAY}/", ALL)
    get(f"/weeks/{DAY}/report/", ALL)
    get("/weeks/", ALL)
    get("/weeks/?filter=reading")
    for n, note in enumerate(notes):
        get(f"/weeks/{DAY}/reading/{note.uuid}/edit/", **HTMX)
        if n % 5 == 0:
            get(f"/weeks/{DAY}/reading/{note.uuid}/", **HTMX)
    for note in notes[:10]:
        get(f"/weeks/{DAY}/reading/{note.uuid}/edit/")
    get("/search/?q=onerror&kind=note")
    get("/search/?q=script&kind=note", **HTMX)


def test_week_titles_and_summaries_and_every_page_showing_them(owner):
    starts = [DAY - timedelta(days=7 * (i + 1)) for i in range(len(PAYLOADS))]
    for i, payload in enumerate(PAYLOADS):
        data = {"title": titled(i, payload, 200), "summary": markdown(i, payload)}
        post(f"/weeks/{starts[i]}/edit/", data)
    assert Week.objects.for_user(owner).count() == len(PAYLOADS)

    shown, url = "", "/weeks/"
    while url:  # every page of the timeline
        html = get(url, **(HTMX if url != "/weeks/" else {}))
        shown += shown_text(html)
        url = next(iter(_more_url(html)), None)
    assert all(m in shown for m in ALL)
    for i, start in enumerate(starts):
        get(f"/weeks/{start}/edit/", [marker(i)], **HTMX)
        if i % 5 == 0:
            get(f"/weeks/{start}/head/", [marker(i)], **HTMX)
    for i in range(0, len(PAYLOADS), 12):
        get(f"/weeks/{starts[i]}/", [marker(i)])
        get(f"/weeks/{starts[i]}/report/", [marker(i)])
        get(f"/weeks/{starts[i]}/edit/", [marker(i)])
        markdown_export = CLIENT.get(f"/weeks/{starts[i]}.md")
        assert markdown_export["Content-Type"].startswith("text/markdown")
        assert markdown_export["X-Content-Type-Options"] == "nosniff"


def _more_url(html: str):
    import re

    for match in re.finditer(r'hx-get="(/weeks/\?before=[^"]+)"', html):
        yield match.group(1).replace("&amp;", "&")


def test_the_journal_title_and_goal_on_every_page(owner):
    for i, payload in enumerate(PAYLOADS):
        if i % 5 == 0:  # through the form; the others straight in, to keep the test quick
            data = {"title": titled(i, payload, 100), "goal": titled(i, payload, 200),
                    "weekly_target_days": 3, "week_start": 0, "day_boundary_hour": 4,
                    "time_zone": "Asia/Tokyo", "language": ("ja", "en")[i % 2]}  # fmt: skip
            post("/settings/", data)
        else:
            JournalSettings.objects.filter(user=owner).update(
                title=titled(i, payload, 100), goal=titled(i, payload, 200)
            )
        get("/offline/", [marker(i)])
        if i % 20 == 0:
            get("/settings/", [marker(i)])
            get(f"/days/{DAY}/", [marker(i)])
    # Too long: the form shows the error with the text as typed, in the input's value.
    post("/settings/", {"title": PAYLOADS[0] * 20, "time_zone": "Asia/Tokyo"})


def test_search_queries_are_shown_as_typed(owner, make_entry):
    for i, payload in enumerate(PAYLOADS[:40]):
        make_entry(title=titled(i, payload, 200), body=markdown(i, payload))
    for i, payload in enumerate(PAYLOADS):
        query = titled(i, payload, 200)
        response = CLIENT.get("/search/", {"q": query})
        check(response, f"search for payload {i}", [marker(i)])
        check(CLIENT.get("/search/", {"q": payload[:200], "kind": "entry"}, headers=HTMX),
              f"search fragment for payload {i}")  # fmt: skip


def report_with(payloads: list[str]) -> str:
    """A weekly report as people publish them, every text of it a payload."""
    lines = [f"# {titled(0, payloads[0], 150)}", "", "## KPT", "", "### Keep", ""]
    lines += [f"- {titled(i, p, 500)}".replace("\n", " ") for i, p in enumerate(payloads)]
    lines += ["", "### Problem", ""]
    lines += [f"- {titled(i, p[::-1], 500)}".replace("\n", " ") for i, p in enumerate(payloads)]
    lines += ["", "### Try", ""]
    lines += [f"- {titled(i, p, 500)} ★".replace("\n", " ") for i, p in enumerate(payloads)]
    lines += ["", "## 気になったこと", ""]
    for i, payload in enumerate(payloads):
        one_line = payload.replace("\n", " ")
        lines += [f"### {titled(i, one_line, 200)}", "https://example.com/a", f"{one_line}",
                  "", f"[{marker(i)}{one_line}](javascript:alert(1))", "", "#### 感想", "",
                  one_line, ""]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_the_weekly_report_importer(owner, tmp_path):
    start = DAY - timedelta(days=7 * 200)
    path = tmp_path / "report.md"
    path.write_text(report_with(PAYLOADS))
    out = StringIO()
    call_command("import_journal", str(path), "--format", "weekly", "--week", str(start),
                 stdout=out, stderr=StringIO())  # fmt: skip
    week = Week.objects.for_user(owner).get(start_date=start)
    assert Item.objects.for_user(owner).filter(week=week).count() >= len(PAYLOADS)
    assert ReadingNote.objects.for_user(owner).filter(week=week).count() >= 50
    links = ReadingNote.objects.for_user(owner).values_list("url", flat=True)
    assert all(url.startswith(("https://", "http://")) or not url for url in links)

    get(f"/weeks/{start}/", ALL)
    get(f"/weeks/{start}/board/")
    get(f"/weeks/{start}/report/", ALL)
    get(f"/weeks/{start + timedelta(days=7)}/")
    get(f"/weeks/?year={start.year}&month={start.month}")
    for note in ReadingNote.objects.for_user(owner).filter(week=week)[:20]:
        get(f"/weeks/{start}/reading/{note.uuid}/edit/", **HTMX)
    get("/search/?q=onerror")
    exported = CLIENT.get(f"/weeks/{start}.md")
    assert exported["Content-Type"].startswith("text/markdown")


def test_photo_descriptions_and_every_page_showing_them(owner, make_entry):
    """Alt text of photos (journal/photo_views.py): one image stored once, one row a payload."""
    Photo = photo_model()
    if Photo is None:
        pytest.skip("no photos yet")
    entry = make_entry(title="写真の日")
    first = make_photo(Photo, entry)
    photos = (
        [first]
        + [
            Photo.objects.create(
                user=owner,
                entry=entry,
                sha256=first.sha256,
                file_key=first.file_key,
                width=first.width,
                height=first.height,
            )  # fmt: skip
            for _ in PAYLOADS[1:]
        ]
    )
    for i, (photo, payload) in enumerate(zip(photos, PAYLOADS, strict=True)):
        alt = titled(i, payload, 500)
        if i % 10 == 0:  # through the form, the fragment it answers checked too
            post(f"/photos/{photo.uuid}/alt/", {"alt": alt}, **HTMX)
            post(f"/photos/{photo.uuid}/alt/", {"alt": alt})
        else:
            Photo.objects.filter(pk=photo.pk).update(alt=" ".join(alt.split()))
    get(f"/days/{entry.date}/", ALL)
    get(f"/entries/{entry.uuid}/", **HTMX)
    get(f"/entries/{entry.uuid}/edit/", **HTMX)
    get("/weeks/")
    get("/")
