"""Staff interface (/staff/) for holding units, collections and documents.

Documents are listed through :func:`disan.access.policy.visible_documents`,
so staff without the secret-document permission do not see secret ones here
either. Master files and pages are made by ingest and shown read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from disan.access.policy import visible_documents
from disan.catalog.models import (
    Collection,
    HeritageDocument,
    HoldingUnit,
    MasterFile,
    Page,
)


@admin.register(HoldingUnit)
class HoldingUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "name_en")
    search_fields = ("name", "name_en", "code")


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "holding_unit")
    list_filter = ("holding_unit",)
    search_fields = ("title", "title_en", "slug")
    prepopulated_fields = {"slug": ("title",)}


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows made by ingest and lets nobody change them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MasterFileInline(ReadOnlyInline):
    model = MasterFile
    fields = readonly_fields = (
        "sequence",
        "logical_path",
        "format_name",
        "puid",
        "size",
        "width",
        "height",
        "dpi",
        "sha256",
    )


class PageInline(ReadOnlyInline):
    model = Page
    fields = readonly_fields = (
        "sequence",
        "label",
        "width",
        "height",
        "ocr_status",
        "ocr_languages",
    )


@admin.register(HeritageDocument)
class HeritageDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "identifier",
        "title",
        "holding_unit",
        "doc_type",
        "heritage_status",
        "access_level",
        "status",
        "page_count",
    )
    list_filter = ("status", "access_level", "holding_unit", "heritage_status")
    search_fields = ("identifier", "title", "original_title", "description")
    list_select_related = ("holding_unit",)
    date_hierarchy = "created"
    readonly_fields = (
        "id",
        "status",
        "ocfl_object_id",
        "ocfl_version",
        "page_count",
        "byte_count",
        "created",
        "updated",
        "published",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "identifier",
                    "title",
                    "original_title",
                    "doc_type",
                    "description",
                )
            },
        ),
        (
            _("Dates and languages"),
            {
                "fields": (
                    "date_written",
                    "year_start",
                    "year_end",
                    "languages",
                    "scripts",
                )
            },
        ),
        (
            _("Holding and access"),
            {
                "fields": (
                    "holding_unit",
                    "collection",
                    "heritage_status",
                    "access_level",
                    "reading_direction",
                )
            },
        ),
        (_("Preservation"), {"fields": readonly_fields}),
    )
    inlines = (MasterFileInline, PageInline)

    def get_queryset(self, request):
        return visible_documents(request.user, super().get_queryset(request))
