from django.contrib import admin

from .models import ConflictCopy, Entry, JournalSettings


@admin.register(JournalSettings)
class JournalSettingsAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "weekly_target_days", "week_start", "time_zone", "language"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "user", "worked", "revision", "deleted_at"]
    list_filter = ["worked", "date"]
    search_fields = ["title", "body"]
    readonly_fields = ["uuid", "revision", "created_at", "updated_at", "render_version"]
    date_hierarchy = "date"


@admin.register(ConflictCopy)
class ConflictCopyAdmin(admin.ModelAdmin):
    list_display = ["entry", "user", "base_revision", "created_at", "resolved_at"]
    readonly_fields = ["uuid", "created_at"]
