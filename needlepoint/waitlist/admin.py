from django.contrib import admin

from .models import FreedSlot, WaitlistEntry, WaitlistOffer


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "patient", "service", "status", "earliest", "latest", "created_at")
    list_filter = ("status", "service")


@admin.register(FreedSlot)
class FreedSlotAdmin(admin.ModelAdmin):
    list_display = ("id", "service", "start", "status", "created_at")


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(admin.ModelAdmin):
    list_display = ("id", "slot", "entry", "rank", "status", "expires_at")
