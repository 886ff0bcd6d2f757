"""Public portal: home, search, documents, their page images, collections."""

from django.urls import path

from disan.portal.views import files, pages, search

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", search.search, name="search"),
    path("documents/<uuid:document_id>/", pages.document, name="document"),
    path(
        "documents/<uuid:document_id>/pages/<uuid:page_id>/thumbnail.jpg",
        files.thumbnail,
        name="page-thumbnail",
    ),
    path(
        "documents/<uuid:document_id>/pages/<uuid:page_id>/download.jpg",
        files.download,
        name="page-download",
    ),
    path("collections/<slug:slug>/", pages.collection, name="collection"),
]
