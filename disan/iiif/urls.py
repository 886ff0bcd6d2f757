"""IIIF Image API 3.0, Presentation API 3.0 and Authorization Flow 2.0 endpoints."""

from django.urls import path

from disan.iiif import auth_views, views

app_name = "iiif"
urlpatterns = [
    path("images/<str:image_id>", views.image_base, name="image-base"),
    path("images/<str:image_id>/info.json", views.image_info, name="image-info"),
    path("images/<str:image_id>/probe", auth_views.probe, name="image-probe"),
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
    path(
        "documents/<str:document_id>/pages/<str:page_id>/alto",
        views.page_alto,
        name="page-alto",
    ),
    path("collections", views.top_collection, name="collection-top"),
    path("collections/units/<str:code>", views.unit_collection, name="collection-unit"),
    path("collections/<str:slug>", views.named_collection, name="collection"),
    path("auth/access", auth_views.access, name="auth-access"),
    path("auth/token", auth_views.token, name="auth-token"),
    path("auth/logout", auth_views.logout_service, name="auth-logout"),
]
