import pytest


@pytest.fixture
def english(user):
    """The page in English: the tests read the English messages (the catalogue may lag)."""
    user.journal_settings.language = "en"
    user.journal_settings.save()
