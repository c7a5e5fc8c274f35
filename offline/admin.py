from django.contrib import admin

from .models import AppliedOp


@admin.register(AppliedOp)
class AppliedOpAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "status", "done", "created_at"]
    list_filter = ["done", "status"]
    readonly_fields = [field.name for field in AppliedOp._meta.fields]
