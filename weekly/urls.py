from django.urls import path

from . import views

app_name = "weekly"
urlpatterns = [
    path("weeks/", views.timeline, name="timeline"),
    # /weeks/<start>/…
    path("weeks/<isodate:day>/", views.week, name="week"),
    path("weeks/<isodate:start>.md", views.week_markdown, name="markdown"),
    path("weeks/<isodate:start>/edit/", views.week_edit, name="week-edit"),
    path("weeks/<isodate:start>/head/", views.week_head, name="week-head"),
    path("weeks/<isodate:start>/board/", views.board, name="board"),
    path("weeks/<isodate:start>/report/", views.report, name="report"),
    # /weeks/<start>/items/…
    path("weeks/<isodate:start>/items/", views.items, name="items"),
    path("weeks/<isodate:start>/items/<uuid:uuid>/", views.item_detail, name="item-detail"),
    path("weeks/<isodate:start>/items/<uuid:uuid>/edit/", views.item_edit, name="item-edit"),
    path("weeks/<isodate:start>/items/<uuid:uuid>/star/", views.item_star, name="item-star"),
    path("weeks/<isodate:start>/items/<uuid:uuid>/move/", views.item_move, name="item-move"),
    path("weeks/<isodate:start>/items/<uuid:uuid>/delete/", views.item_delete, name="item-delete"),
    path(
        "weeks/<isodate:start>/items/<uuid:uuid>/restore/",
        views.item_restore,
        name="item-restore",
    ),
    path("weeks/<isodate:start>/review/<uuid:uuid>/", views.review, name="review"),
    # /weeks/<start>/reading/…
    path("weeks/<isodate:start>/reading/", views.reading_create, name="reading-create"),
    path("weeks/<isodate:start>/reading/<uuid:uuid>/", views.reading_detail, name="reading-detail"),
    path(
        "weeks/<isodate:start>/reading/<uuid:uuid>/edit/", views.reading_edit, name="reading-edit"
    ),
    path(
        "weeks/<isodate:start>/reading/<uuid:uuid>/delete/",
        views.reading_delete,
        name="reading-delete",
    ),
    path(
        "weeks/<isodate:start>/reading/<uuid:uuid>/restore/",
        views.reading_restore,
        name="reading-restore",
    ),
    path(
        "weeks/<isodate:start>/reading/<uuid:uuid>/move/", views.reading_move, name="reading-move"
    ),
    # /weeks/<start>/conflicts/…: a lost race on an item, a note or the week's head
    path(
        "weeks/<isodate:start>/conflicts/<uuid:uuid>/resolve/",
        views.conflict_resolve,
        name="conflict-resolve",
    ),
]
