"""Batches, their jobs and refusals in the staff interface, read-only.

A transfer is about one document, and its jobs and refused files are too;
staff see them only when :mod:`disan.access.policy` lets them see that
document. To staff who may not, they are as if they did not exist: left
out of every list, search and filter count, and their pages answer as
Django does for a record that is not there.
"""

from django.contrib import admin
from django.db.models import Q
from django.db.models.fields.json import KT

from disan.access.policy import visible_documents, visible_levels
from disan.catalog.models import HeritageDocument
from disan.ingest.models import Batch, Job, Rejection, Transfer


def visible_transfers(user, queryset=None):
    """Filter ``queryset`` (default: all transfers) to those ``user`` may see.

    A transfer tied to a document is shown with it. One not tied to any
    (not yet identified, none of its files accepted, or its document
    deleted) still holds the document's identifier and title in its
    metadata: it is shown when the access level it asks for is one the user
    may see and no document the user may not see has its identifier.
    """
    if queryset is None:
        queryset = Transfer.objects.all()
    hidden = HeritageDocument.objects.exclude(
        pk__in=visible_documents(user).values("pk")
    )
    return queryset.filter(
        Q(document__in=visible_documents(user))
        | (
            Q(document__isnull=True, metadata__access_level__in=visible_levels(user))
            & ~Q(
                pk__in=Transfer.objects.annotate(
                    metadata_identifier=KT("metadata__identifier")
                )
                .filter(metadata_identifier__in=hidden.values("identifier"))
                .values("pk")
            )
        )
    )


def visible_rejections(user, queryset):
    """Refusals of the batch itself, and those of transfers ``user`` may see."""
    return queryset.filter(
        Q(transfer__isnull=True) | Q(transfer__in=visible_transfers(user))
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ingest records are written by the pipeline, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FilteredAdmin(ReadOnlyAdmin):
    """Records shown only as far as the user may see their document.

    Deleting a batch lists everything deleted with it; a record the user
    may not see is not theirs to delete, and Django then lists only its
    kind, not the record.
    """

    def has_delete_permission(self, request, obj=None):
        if (
            obj is not None
            and not self.get_queryset(request).filter(pk=obj.pk).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


class RejectionInline(admin.TabularInline):
    model = Rejection
    fields = ("path", "code", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return visible_rejections(request.user, super().get_queryset(request))


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "source", "status", "created", "finished", "ocr")
    list_filter = ("status",)
    search_fields = ("source",)
    inlines = [RejectionInline]


@admin.register(Transfer)
class TransferAdmin(FilteredAdmin):
    list_display = ("id", "batch", "document", "source", "changed", "created")
    search_fields = ("source", "document__identifier")
    # It names other documents whatever their access level.
    exclude = ("stored_elsewhere",)

    def get_queryset(self, request):
        return visible_transfers(request.user, super().get_queryset(request))


@admin.register(Job)
class JobAdmin(FilteredAdmin):
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

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(transfer__in=visible_transfers(request.user))
        )


@admin.register(Rejection)
class RejectionAdmin(FilteredAdmin):
    list_display = ("path", "code", "batch", "created")
    list_filter = ("code",)
    search_fields = ("path", "reason")

    def get_queryset(self, request):
        return visible_rejections(request.user, super().get_queryset(request))
