"""Staff interface for image aliases."""

from django.contrib import admin

from disan.iiif.models import ImageAlias


@admin.register(ImageAlias)
class ImageAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "page", "created"]
    search_fields = ["alias", "page__document__identifier"]
    raw_id_fields = ["page"]
