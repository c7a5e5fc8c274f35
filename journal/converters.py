from datetime import date


class IsoDateConverter:
    """`2026-11-23` → date; an impossible date such as 2026-02-30 does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → no match → 404

    def to_url(self, value: date) -> str:
        return value.isoformat()


class MonthConverter:
    """`2026-11` → the first day of that month."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> date:
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    def to_url(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"
