from django.contrib import admin

from .models import CalendarFeedToken, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "channel", "status", "due_at", "sent_at", "attempts")
    list_filter = ("status", "kind", "channel")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "prefix", "label", "created_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "token_hash", "prefix", "created_at", "last_used_at")
