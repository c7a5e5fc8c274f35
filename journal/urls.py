from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("", views.today, name="today"),
    path("setup/", views.setup, name="setup"),
    path("settings/", views.journal_settings, name="settings"),
    path("progress/", views.week_progress, name="progress"),
    path("days/<isodate:day>/", views.day, name="day"),
    path("months/<month:month>/", views.month, name="month"),
    path("years/<int:year>/", views.year, name="year"),
    # /entries/…
    path("entries/new/", views.entry_create, name="entry-create"),
    path("entries/<uuid:uuid>/", views.entry_detail, name="entry-detail"),
    path("entries/<uuid:uuid>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<uuid:uuid>/worked/", views.entry_worked, name="entry-worked"),
    path("entries/<uuid:uuid>/delete/", views.entry_delete, name="entry-delete"),
    path("entries/<uuid:uuid>/restore/", views.entry_restore, name="entry-restore"),
    path("conflicts/<uuid:uuid>/resolve/", views.conflict_resolve, name="conflict-resolve"),
]
