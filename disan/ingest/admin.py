"""Batches, their jobs and refusals in the staff interface, read-only."""

from django.contrib import admin

from disan.ingest.models import Batch, Job, Rejection, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ingest records are written by the pipeline, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RejectionInline(admin.TabularInline):
    model = Rejection
    fields = ("path", "code", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "source", "status", "created", "finished", "ocr")
    list_filter = ("status",)
    search_fields = ("source",)
    inlines = [RejectionInline]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("id", "batch", "document", "source", "changed", "created")
    search_fields = ("source", "document__identifier")
    # It names other documents whatever their access level.
    exclude = ("stored_elsewhere",)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = (
        "step",
        "status",
        "transfer",
        "page",
        "attempts",
        "started",
        "finished",
    )
    list_filter = ("status", "step")
    search_fields = ("transfer__document__identifier", "message")
    readonly_fields = ("message",)


@admin.register(Rejection)
class RejectionAdmin(ReadOnlyAdmin):
    list_display = ("path", "code", "batch", "created")
    list_filter = ("code",)
    search_fields = ("path", "reason")
