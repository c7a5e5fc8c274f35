"""scripts/bench.py (`make bench`), its pieces on a tiny journal: what it measures answers, and
bench-results.json has the shape issue 8 asks for, the whole journal's export and import round
trip. No timing is asserted."""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"
spec = importlib.util.spec_from_file_location("bench_script", SCRIPT)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PAGE_KEYS = {"p50_ms", "p95_ms", "queries", "p50_ms_1y"}
TOP_KEYS = {
    "pages",
    "floor_p50_ms",
    "search_fts_p50_ms",
    "search_like_p50_ms",
    "first_load_bytes",
    "inline_edit_p50_ms",
    "offline_reload_p50_ms",
    "export_10y_s",
    "import_10y_s",
}


@pytest.fixture
def journal(db, django_user_model):
    call_command("seed_demo", years=1, seed=3, user=bench.USERNAME, stdout=io.StringIO())
    return django_user_model.objects.get(username=bench.USERNAME)


@pytest.mark.urls("config.bench_urls")
def test_the_in_process_measurement_makes_the_results_file(journal):
    measured = bench.measure_journals({"10": None}, iterations=3, warmup=1)["10"]

    assert set(measured["pages"]) == {"floor", *bench.PAGES}
    for name, page in measured["pages"].items():
        assert page["p50_ms"] > 0, name
        assert page["p95_ms"] >= page["p50_ms"], name
        assert page["cpu_p50_ms"] > 0, name
        assert page["queries"] > 0, name
        assert page["bytes"] > 0, name
    assert measured["size"]["entries"] > 100
    for found in measured["search"].values():
        assert found["fts_p50_ms"] > 0
        assert found["like_p50_ms"] > 0
        assert 0 < found["hits"] <= found["like_rows"]

    browser = {"first_load_bytes": 1000, "inline_edit_p50_ms": 20.0, "offline_reload_p50_ms": 50.0}
    results = bench.results_json(measured, measured, browser)
    assert set(results) == TOP_KEYS
    assert set(results["pages"]) == set(bench.PAGES)
    assert all(set(page) == PAGE_KEYS for page in results["pages"].values())
    assert results["floor_p50_ms"] > 0
    assert results["search_like_p50_ms"] > 0
    assert results["export_10y_s"] is None  # not measured
    assert results["import_10y_s"] is None
    archive = {"export_s": 3.8, "bytes": 6_000_000, "import_s": 7.4, "plan_s": 0.6,
               "records": {"create": 13086}, "round_trip": True}  # fmt: skip
    with_archive = bench.results_json(measured, measured, browser, archive)
    assert (with_archive["export_10y_s"], with_archive["import_10y_s"]) == (3.8, 7.4)
    json.dumps(results)  # what bench.py writes

    meta = {"iterations": 3, "warmup": 1, "cpus": 2, "loadavg_before": "1.0 1.0 1.0",
            "loadavg_after": "1.0 1.0 1.0", "when": "now"}  # fmt: skip
    table = bench.markdown(measured, measured, None, meta)
    assert "| today `/` |" in table
    assert "not measured" in table
    table = bench.markdown(measured, measured, None, meta, archive)
    assert "| 7.4 s | ≤ 15 s ✅ |" in table
    assert "re-export identical" in table
    without_browser = bench.results_json(measured, measured, None)
    assert without_browser["first_load_bytes"] is None


@pytest.mark.urls("config.bench_urls")
def test_each_round_visits_the_pages_in_a_new_order(journal, monkeypatch):
    """In a fixed order the floor always came right after the untimed floor that opens each
    turn, in warm caches, and every ratio over it was too large."""
    from django.test import Client

    asked = []
    get = Client.get
    monkeypatch.setattr(
        Client, "get", lambda client, url, *a, **k: asked.append(url) or get(client, url, *a, **k)
    )
    bench.measure_pages({"10": None}, iterations=6, warmup=0)

    urls = bench.bench_urls(journal)
    pages = len(urls) + 1  # and the untimed floor first
    timed = asked[-6 * pages :]  # after the first requests, which count the queries
    rounds = [timed[start : start + pages] for start in range(0, len(timed), pages)]
    assert all(
        turn[0] == "/__floor__/" and sorted(turn[1:]) == sorted(urls.values()) for turn in rounds
    )
    assert len({tuple(turn) for turn in rounds}) == 6  # six different orders
    # The timed floor is somewhere else than right after the untimed one at least once.
    assert any(turn[1] != "/__floor__/" for turn in rounds)


def test_the_archive_measurement_exports_and_imports_the_journal(
    journal, tmp_path, django_user_model
):
    exported = bench.time_export(journal, tmp_path / "export.zip")
    assert exported["export_s"] >= 0
    assert exported["bytes"] > 10_000
    journal.delete()  # its UUIDs are free again, as in an empty instance
    fresh = django_user_model.objects.create_user("fresh")
    imported = bench.time_import(fresh, tmp_path / "export.zip")
    assert imported["records"]["create"] > 1000
    assert imported["import_s"] >= imported["plan_s"] >= 0
    bench.time_export(fresh, tmp_path / "again.zip")
    assert bench.same_json(tmp_path / "export.zip", tmp_path / "again.zip")


def test_the_pages_of_a_journal_are_chosen_from_its_own_dates(journal):
    urls = bench.bench_urls(journal)
    today = journal.journal_settings.today()
    assert urls["year"] == f"/years/{today.year}/"
    assert urls["week_markdown"] == urls["week"].rstrip("/") + ".md"
    assert urls["timeline_deep"].startswith("/weeks/?before=")


def test_each_journal_keeps_its_connection_between_turns(tmp_path, django_db_blocker):
    import sqlite3

    from django.db.utils import ConnectionHandler

    paths = []
    for name in ("one", "ten"):
        path = tmp_path / f"{name}.sqlite3"
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE journal (name TEXT)")
        db.execute("INSERT INTO journal VALUES (?)", [name])
        db.commit()
        db.close()
        paths.append(path)
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(paths[0])}
    wrapper = ConnectionHandler({"default": sqlite})["default"]
    with django_db_blocker.unblock():
        seen = []
        for turn in range(4):
            bench.use_database(paths[turn % 2], wrapper)
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT name FROM journal")
                seen.append((cursor.fetchone()[0], wrapper.connection))
        assert [name for name, _ in seen] == ["one", "ten", "one", "ten"]
        assert seen[0][1] is seen[2][1]  # the same connection again, not a new one
        assert seen[1][1] is seen[3][1]
        assert seen[0][1] is not seen[1][1]
        wrapper.close()
    for kept in bench._OPEN.values():
        kept.close()
    bench._OPEN.clear()


def test_percentile():
    assert bench.percentile([5.0], 0.95) == 5.0
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert bench.percentile(list(map(float, range(101))), 0.95) == 95.0
