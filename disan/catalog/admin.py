"""Staff interface (/staff/) for the catalog.

Staff edit only the records of their own holding units (see
:mod:`disan.catalog.permissions`); superusers edit all. Documents are also
filtered through :func:`disan.access.policy.visible_documents`, so staff
without the secret-document permission do not see secret ones here either.
Every edit is kept with who made it and when (django-simple-history), and
an earlier version can be restored from a record's history page.
Master files and pages are made by ingest and shown read-only; heritage
status moves only through a recorded decision.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from disan.access.policy import can_view, visible_documents
from disan.catalog.actions.change_status import (
    change_heritage_status,
    check_decision_date,
    check_decision_file,
    check_transition,
)
from disan.catalog.actions.merge_authorities import merge_authorities
from disan.catalog.exceptions import CatalogPermissionDenied, StatusChangeError
from disan.catalog.forms import (
    CatalogForm,
    WordListField,
    language_field,
    script_field,
)
from disan.catalog.models import (
    AccessLevel,
    ArchivalFile,
    Collection,
    Fonds,
    HeritageDocument,
    HeritageStatusChange,
    HoldingUnit,
    MasterFile,
    Organization,
    Page,
    Person,
    Place,
    PlaceName,
    Series,
    Subject,
)
from disan.catalog.permissions import (
    can_edit_unit,
    scope_to_units,
    unit_of,
    user_units,
)


class UnitScopedAdmin(admin.ModelAdmin):
    """Show and edit only the records of the user's holding units."""

    # Foreign keys whose choices are cut down to the user's units.
    scoped_choices = {
        "holding_unit": HoldingUnit,
        "fonds": Fonds,
        "series": Series,
        "archival_file": ArchivalFile,
        "document": HeritageDocument,
    }

    def get_queryset(self, request):
        return scope_to_units(request.user, super().get_queryset(request))

    def _may(self, request, obj):
        return obj is None or can_edit_unit(request.user, unit_of(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = self.scoped_choices.get(db_field.name)
        if model is not None and not request.user.is_superuser:
            if model is HoldingUnit:
                kwargs["queryset"] = user_units(request.user)
            else:
                kwargs["queryset"] = scope_to_units(request.user, model.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    """A unit-scoped admin whose history page can restore a version."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The library lets anyone who may view a record post a revert;
        # restoring a version is an edit, so it needs the change right.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(HoldingUnit)
class HoldingUnitAdmin(UnitScopedAdmin):
    list_display = ("name", "code", "name_en")
    search_fields = ("name", "name_en", "code")
    filter_horizontal = ("members",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Only superusers say who belongs to which unit.
        return () if request.user.is_superuser else ("code", "members")


@admin.register(Collection)
class CollectionAdmin(UnitScopedAdmin):
    list_display = ("title", "slug", "holding_unit")
    list_filter = ("holding_unit",)
    search_fields = ("title", "title_en", "slug")
    prepopulated_fields = {"slug": ("title",)}


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows made elsewhere and lets nobody change them."""

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


class StatusChangeInline(ReadOnlyInline):
    model = HeritageStatusChange
    fields = readonly_fields = (
        "from_status",
        "to_status",
        "decision_number",
        "decision_date",
        "issuing_authority",
        "decision_file",
        "changed_by",
        "changed_at",
    )


AUTHORITY_LINKS = ("persons", "organizations", "places", "subjects")


def _span(start, end):
    return str(start) if end is None or end == start else f"{start}–{end}"


class HeritageDocumentForm(CatalogForm):
    """A document's form reads the written date as ``disan import`` does."""

    languages = language_field(label=_("languages"))
    scripts = script_field(label=_("scripts"))

    class Meta:
        model = HeritageDocument
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        date_fields = {"date_written", "year_start", "year_end"}
        if not date_fields & set(self.changed_data):
            return cleaned
        parsed = self.read_written_date("date_written")
        if parsed is None:
            if "date_written" not in self.errors and "date_written" in (
                self.changed_data
            ):
                self.instance.date_edtf = ""
            return cleaned
        written = parsed.written
        start, end = cleaned.get("year_start"), cleaned.get("year_end")
        if start is None and end is None:
            # Years not given are those of the written date, as on import.
            cleaned["year_start"], cleaned["year_end"] = (
                parsed.year_start,
                parsed.year_end,
            )
        elif parsed.year_start is not None and "year_start" not in self.errors:
            given_start = start if start is not None else end
            given_end = end if end is not None else start
            read_end = (
                parsed.year_end
                if parsed.year_end is not None
                else timezone.localdate().year
            )
            if given_end < parsed.year_start or given_start > read_end:
                self.add_error(
                    "year_start",
                    _(
                        "The years %(given)s contradict the date as written,"
                        " “%(value)s”, read as %(span)s."
                    )
                    % {
                        "given": _span(given_start, given_end),
                        "value": written,
                        "span": _span(parsed.year_start, parsed.year_end),
                    },
                )
                return cleaned
        self.instance.date_edtf = parsed.edtf
        return cleaned


@admin.register(HeritageDocument)
class HeritageDocumentAdmin(HistoryAdmin):
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
    autocomplete_fields = AUTHORITY_LINKS + ("archival_file",)
    preservation_fields = (
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
    readonly_fields = ("heritage_status",) + preservation_fields
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
        (
            _("Documentary heritage"),
            {
                "classes": ("collapse",),
                "fields": (
                    "carrier_type",
                    "origin",
                    "provenance",
                    "creation_time",
                    "creation_manner",
                    "custody_history",
                    "owner",
                    "ownership",
                    "authenticity_note",
                    "rarity_note",
                    "physical_condition",
                    "storage_location",
                ),
            },
        ),
        (
            _("Archival document"),
            {
                "classes": ("collapse",),
                "fields": (
                    "archival_file",
                    "document_ordinal",
                    "document_type",
                    "document_number",
                    "notation",
                    "issue_date",
                    "issuing_body",
                    "summary",
                    "signer",
                ),
            },
        ),
        (_("Authority records"), {"fields": AUTHORITY_LINKS}),
        (_("Preservation"), {"fields": preservation_fields}),
    )
    inlines = (StatusChangeInline, MasterFileInline, PageInline)
    form = HeritageDocumentForm

    def get_queryset(self, request):
        return visible_documents(request.user, super().get_queryset(request))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version restores its description only: get_form() and
        # save_model() keep the fields the system owns at their current values.
        request.disan_revert = True
        if request.method != "POST":
            current = self.get_object(request, object_id)
            record = (
                self.model.history.filter(id=object_id, history_id=version_id).first()
                if current is not None
                else None
            )
            if record is not None and record.access_level != current.access_level:
                messages.warning(
                    request,
                    _(
                        "Restoring this version changes the access level from"
                        " “%(current)s” to “%(restored)s”."
                    )
                    % {
                        "current": AccessLevel(current.access_level).label,
                        "restored": AccessLevel(record.access_level).label,
                    },
                )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "disan_revert", False):
            current = HeritageDocument.objects.filter(pk=obj.pk).first()
            if current is not None:
                for name in HeritageDocument.KEPT_ON_REVERT:
                    setattr(obj, name, getattr(current, name))
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        before = None
        if getattr(request, "disan_revert", False):
            before = HeritageDocument.objects.filter(pk=obj.pk).first()
            if before is not None:
                for name in HeritageDocument.KEPT_ON_REVERT:
                    setattr(obj, name, getattr(before, name))
        super().save_model(request, obj, form, change)
        if before is not None and before.access_level != obj.access_level:
            messages.warning(
                request,
                _(
                    "The restored version changed the access level from"
                    " “%(current)s” to “%(restored)s”."
                )
                % {
                    "current": AccessLevel(before.access_level).label,
                    "restored": AccessLevel(obj.access_level).label,
                },
            )

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))


class HeritageStatusChangeForm(forms.ModelForm):
    """A decision's form: the rules of change_status refuse it as form errors."""

    class Meta:
        model = HeritageStatusChange
        fields = "__all__"

    def clean_decision_date(self):
        value = self.cleaned_data.get("decision_date")
        try:
            check_decision_date(value)
        except StatusChangeError as err:
            raise ValidationError(str(err)) from err
        return value

    def clean_decision_file(self):
        value = self.cleaned_data.get("decision_file")
        if value:
            try:
                check_decision_file(value)
            except StatusChangeError as err:
                raise ValidationError(str(err)) from err
        return value

    def clean(self):
        cleaned = super().clean()
        document, to_status = cleaned.get("document"), cleaned.get("to_status")
        if document is not None and to_status:
            try:
                check_transition(document, to_status)
            except StatusChangeError as err:
                self.add_error("to_status", str(err))
        return cleaned


@admin.register(HeritageStatusChange)
class HeritageStatusChangeAdmin(UnitScopedAdmin):
    """Record a decision; the document's status follows it. Never edited."""

    list_display = (
        "document",
        "from_status",
        "to_status",
        "decision_number",
        "decision_date",
        "issuing_authority",
        "changed_by",
    )
    list_filter = ("to_status",)
    fields = (
        "document",
        "to_status",
        "decision_number",
        "decision_date",
        "issuing_authority",
        "decision_file",
        "note",
    )
    autocomplete_fields = ("document",)
    form = HeritageStatusChangeForm

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            recorded = change_heritage_status(
                obj.document,
                obj.to_status,
                user=request.user,
                decision_number=obj.decision_number,
                decision_date=obj.decision_date,
                issuing_authority=obj.issuing_authority,
                decision_file=form.cleaned_data["decision_file"],
                note=obj.note,
            )
        except CatalogPermissionDenied as err:
            raise PermissionDenied(str(err)) from err
        obj.pk = recorded.pk


class FondsForm(CatalogForm):
    written_date_fields = ("date_written",)

    class Meta:
        model = Fonds
        fields = "__all__"


class ArchivalFileForm(CatalogForm):
    written_date_fields = ("date_written",)

    languages = language_field(label=_("languages"))
    keywords = WordListField(label=_("keywords"))

    class Meta:
        model = ArchivalFile
        fields = "__all__"


class AuthorityForm(CatalogForm):
    alternate_names = WordListField(label=_("other names"))


@admin.register(Fonds)
class FondsAdmin(HistoryAdmin):
    form = FondsForm
    list_display = ("code", "name", "holding_unit")
    list_filter = ("holding_unit",)
    search_fields = ("code", "name")


@admin.register(Series)
class SeriesAdmin(HistoryAdmin):
    list_display = ("code", "title", "fonds")
    list_filter = ("fonds__holding_unit",)
    search_fields = ("code", "title")


@admin.register(ArchivalFile)
class ArchivalFileAdmin(HistoryAdmin):
    list_display = (
        "file_code",
        "title",
        "retention",
        "access_mode",
        "reliability",
        "document_count",
    )
    list_filter = ("retention", "access_mode", "reliability", "fonds__holding_unit")
    search_fields = ("file_code", "title", "paper_file_code")
    readonly_fields = ("file_code",)
    autocomplete_fields = AUTHORITY_LINKS
    form = ArchivalFileForm
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "fonds",
                    "series",
                    "agency_code",
                    "year",
                    "file_number",
                    "file_code",
                    "title",
                )
            },
        ),
        (
            _("Retention and access"),
            {"fields": ("retention", "retention_note", "access_mode", "languages")},
        ),
        (
            _("Dates and extent"),
            {
                "fields": (
                    "date_written",
                    "start_date",
                    "end_date",
                    "keywords",
                    "document_count",
                    "sheet_count",
                    "page_count",
                    "physical_condition",
                    "information_sign",
                )
            },
        ),
        (
            _("Reliability and backup"),
            {
                "fields": (
                    "reliability",
                    "paper_file_code",
                    "backup_mode",
                    "backup_status",
                    "note",
                )
            },
        ),
        (_("Authority records"), {"fields": AUTHORITY_LINKS}),
    )


@admin.action(description=_("Merge the selected records into the oldest one"))
def merge_selected(modeladmin, request, queryset):
    records = list(queryset.order_by("pk"))
    if len(records) < 2:
        modeladmin.message_user(
            request, _("Select at least two records to merge."), messages.WARNING
        )
        return
    try:
        result = merge_authorities(records[0], records[1:], user=request.user)
    except CatalogPermissionDenied as err:
        modeladmin.message_user(request, str(err), messages.ERROR)
        return
    modeladmin.message_user(
        request,
        _("%(count)s records merged into “%(name)s”; %(links)s links moved.")
        % {
            "count": len(result.merged_ids),
            "name": result.kept.name,
            "links": result.links_moved,
        },
        messages.SUCCESS,
    )


class AuthorityAdmin(SimpleHistoryAdmin):
    form = AuthorityForm
    list_display = ("name", "external_id", "updated")
    search_fields = ("name", "alternate_names", "external_id")
    actions = (merge_selected,)


@admin.register(Person)
class PersonAdmin(AuthorityAdmin):
    list_display = ("name", "dates_written", "external_id", "updated")


@admin.register(Organization)
class OrganizationAdmin(AuthorityAdmin):
    list_display = ("name", "dates_written", "external_id", "updated")


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1
    fields = ("name", "valid_from", "valid_to", "source")


@admin.register(Place)
class PlaceAdmin(AuthorityAdmin):
    list_display = ("name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    autocomplete_fields = ("parent",)
    inlines = (PlaceNameInline,)


@admin.register(Subject)
class SubjectAdmin(AuthorityAdmin):
    list_display = ("name", "broader", "updated")
    autocomplete_fields = ("broader",)
