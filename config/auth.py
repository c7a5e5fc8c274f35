from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class JournalUserBackend(ModelBackend):
    """Django's ModelBackend, loading the user's journal settings with the user on every request
    (UserPreferencesMiddleware needs them at once): one query instead of two."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("journal_settings")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
