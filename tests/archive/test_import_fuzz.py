"""The Day One, jrnl and Obsidian readers on generated input: whatever the file holds, the plan is
made (every problem a REFUSE line with where and why) and never raises; applying a plan with a
refusal writes nothing."""

import json
import os

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.importing import REFUSE, ImportRefused, plan_import
from archive.sources import bytes_source
from journal.models import Entry

from .fixtures import dayone_entry, dayone_json, zipped

FUZZ = settings(
    max_examples=int(os.environ.get("TSUZURI_FUZZ_EXAMPLES", 60)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
DAYONE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "uuid": st.one_of(st.text(max_size=40), JSON_VALUES),
        "creationDate": st.one_of(
            st.datetimes().map(lambda moment: moment.isoformat() + "Z"),
            st.sampled_from(["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", ""]),
            JSON_VALUES,
        ),
        "timeZone": st.one_of(
            st.sampled_from(["Asia/Tokyo", "Mars/Base", "", "../x"]), JSON_VALUES
        ),
        "text": st.one_of(st.text(max_size=200), JSON_VALUES),
        "tags": JSON_VALUES,
        "starred": JSON_VALUES,
        "photos": st.one_of(
            st.lists(
                st.fixed_dictionaries({"identifier": st.text(max_size=5), "md5": JSON_VALUES})
            ),
            JSON_VALUES,
        ),
    },
)
LINE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60),
    st.builds(
        "[{}-{:02}-{:02} {:02}:{:02}{}] {}".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.sampled_from(["", ":00", " AM", " pm", ":99 PM"]),
        st.text(max_size=30),
    ),
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(user, format: str, data: bytes, name: str) -> None:
    plan = plan_import(format, user, bytes_source(data, name))
    for line in plan.lines:
        assert line.where
        assert line.action != REFUSE or line.reason
    if plan.refused:
        with pytest.raises(ImportRefused):
            plan.apply(user)
        assert not Entry.objects.exists()


def test_day_one_records_of_any_shape(user):
    @FUZZ
    @given(records=st.lists(st.one_of(DAYONE_FIELDS, JSON_VALUES), max_size=5))
    def fuzz(records):
        check(user, "dayone", dayone_json(*records), "Journal.json")

    fuzz()


def test_day_one_files_of_any_bytes(user):
    @FUZZ
    @given(
        data=st.one_of(st.binary(max_size=300), JSON_VALUES.map(lambda v: json.dumps(v).encode()))
    )
    def fuzz(data):
        check(user, "dayone", data, "Journal.json")

    fuzz()


def test_jrnl_journals_of_any_lines(user):
    @FUZZ
    @given(
        lines=st.lists(LINE, max_size=12), encoding=st.sampled_from(["utf-8", "utf-16", "cp932"])
    )
    def fuzz(lines, encoding):
        data = "\n".join(lines).encode(encoding, "replace")
        check(user, "jrnl", data, "journal.txt")

    fuzz()


def test_obsidian_notes_of_any_names_and_text(user):
    names = st.one_of(
        st.sampled_from(["2021-01-04", "05-01-2021", "13-01-2021", "20210230", "0000-01-01"]),
        st.text(alphabet="0123456789-_年月日abc/", min_size=1, max_size=14),
    )
    body = st.text(max_size=120).map(lambda text: text.encode("utf-8", "surrogatepass"))

    @FUZZ
    @given(notes=st.dictionaries(names, st.one_of(body, st.binary(max_size=60)), max_size=4))
    def fuzz(notes):
        files = {f"{name.strip('/') or 'x'}.md": data for name, data in notes.items()}
        if files:
            check(user, "obsidian", zipped(files), "vault.zip")

    fuzz()


def test_a_fuzzed_record_next_to_good_ones_never_leaves_half_an_import(user):
    good = [dayone_entry(uuid=f"{n:032X}") for n in range(3)]
    check(user, "dayone", dayone_json(*good, {"uuid": "X", "text": {"invalid": "type"}}), "J.json")
    assert not Entry.objects.exists()
