from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from config.forms import LoginForm
from journal.converters import IsoDateConverter, MonthConverter
from offline.views import ClearingLogoutView

register_converter(IsoDateConverter, "isodate")
register_converter(MonthConverter, "month")

urlpatterns = [
    path("admin/", admin.site.urls),
    # Only what a self-hosted, single-owner journal needs: no sign-up, no e-mailed reset.
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"
    ),
    path("accounts/logout/", ClearingLogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/settings/"),
        name="password_change",
    ),
    path("", include("journal.urls")),
    path("", include("weekly.urls")),
    path("", include("offline.urls")),
    path("", include("archive.urls")),
]
