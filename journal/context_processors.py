from django.utils.functional import SimpleLazyObject

from .summaries import worked_days


def journal_header(request) -> dict:
    """Title, goal and this week's worked days for the header of every diary page.

    The count is lazy: fragments that never show the header never run its query.
    """
    prefs = getattr(request, "journal_settings", None)
    if prefs is None:
        return {}

    def progress() -> dict:
        first, last = prefs.week_of(prefs.today())
        worked = worked_days(request.user, first, last)
        return {"worked": worked, "target": prefs.weekly_target_days, "week_start": first}

    return {"journal": prefs, "week_progress": SimpleLazyObject(progress)}
