"""config/sql.py's helpers take what either database gives."""

import uuid
from datetime import date

from config.sql import as_date, as_uuid, uuid_text

SAMPLE = uuid.UUID("319e4946-dcc1-4ddd-a91e-a4cd11a25dbf")


def test_a_uuid_is_the_same_text_from_sqlites_hex_and_postgresqls_uuid():
    assert uuid_text(SAMPLE.hex) == str(SAMPLE)
    assert uuid_text(SAMPLE) == str(SAMPLE)
    assert uuid_text(str(SAMPLE)) == str(SAMPLE)
    assert as_uuid(SAMPLE.hex) == SAMPLE


def test_a_date_is_a_date_from_either():
    assert as_date("2026-11-23") == date(2026, 11, 23)
    assert as_date(date(2026, 11, 23)) == date(2026, 11, 23)
