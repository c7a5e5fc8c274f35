from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline_page, name="page"),
    path("offline/warm.json", views.warm_list, name="warm"),
]
