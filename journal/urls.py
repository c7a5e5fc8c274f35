from django.urls import path

from . import photo_views, views

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
    # Photos (journal/photo_views.py)
    path("entries/<uuid:uuid>/photos/", photo_views.photo_upload, name="photo-upload"),
    path("photos/<uuid:uuid>/<int:size>.webp", photo_views.photo_file, name="photo-file"),
    path("photos/<uuid:uuid>/alt/", photo_views.photo_alt, name="photo-alt"),
    path("photos/<uuid:uuid>/move/", photo_views.photo_move, name="photo-move"),
    path("photos/<uuid:uuid>/delete/", photo_views.photo_delete, name="photo-delete"),
    path("photos/<uuid:uuid>/restore/", photo_views.photo_restore, name="photo-restore"),
    path(
        "weeks/<isodate:start>/reading/<uuid:uuid>/cover/",
        photo_views.reading_cover,
        name="reading-cover",
    ),
]
