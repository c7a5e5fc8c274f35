from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("archive/", views.archive_page, name="archive"),
    path("archive/export.zip", views.export_zip, name="export"),
    path("archive/imports/", views.import_upload, name="import-upload"),
    path("archive/imports/<uuid:job_id>/", views.import_job, name="import"),
]
