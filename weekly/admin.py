from django.contrib import admin

from .models import Item, ReadingNote, Week, WeeklyConflictCopy


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "title", "user", "revision"]
    date_hierarchy = "start_date"


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "week", "review", "user", "deleted_at"]
    list_filter = ["kind", "review"]
    search_fields = ["text"]
    raw_id_fields = ["week", "parent", "carried_from"]


@admin.register(ReadingNote)
class ReadingNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "week", "user", "deleted_at"]
    list_filter = ["kind"]
    search_fields = ["title", "notes", "impressions"]
    raw_id_fields = ["week"]


@admin.register(WeeklyConflictCopy)
class WeeklyConflictCopyAdmin(admin.ModelAdmin):
    list_display = ["kind", "week", "user", "base_revision", "created_at", "resolved_at"]
    list_filter = ["kind"]
    readonly_fields = ["uuid", "created_at"]
    raw_id_fields = ["week", "item", "note"]
