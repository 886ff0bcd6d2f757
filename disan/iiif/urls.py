"""IIIF Image API 3.0 and Presentation API 3.0 endpoints."""

from django.urls import path

from disan.iiif import views

app_name = "iiif"
urlpatterns = [
    path("images/<str:image_id>", views.image_base, name="image-base"),
    path("images/<str:image_id>/info.json", views.image_info, name="image-info"),
    path(
        "images/<str:image_id>/<str:region>/<str:size>/<str:rotation>/<str:quality_format>",
        views.image,
        name="image",
    ),
    path("documents/<str:document_id>/manifest", views.manifest, name="manifest"),
    path(
        "documents/<str:document_id>/pages/<str:page_id>/text",
        views.page_text,
        name="page-text",
    ),
]
