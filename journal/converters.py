from datetime import date

# The days a page can be about. Pages link to the day, week and month before and after, and show
# whole weeks around a month, so the first and last years Python can hold stay out (a 404, not an
# OverflowError from date arithmetic at year 1 or 9999).
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


def within_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is outside {FIRST_DAY}–{LAST_DAY}")
    return day


class IsoDateConverter:
    """`2026-11-23` → date; an impossible date such as 2026-02-30 does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return within_range(date.fromisoformat(value))  # ValueError → no match → 404

    def to_url(self, value: date) -> str:
        return value.isoformat()


class MonthConverter:
    """`2026-11` → the first day of that month."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> date:
        year, month = value.split("-")
        return within_range(date(int(year), int(month), 1))

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"
