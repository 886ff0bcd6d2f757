"""Home, document and collection pages of the public portal."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from disan.access.policy import can_download, published_documents
from disan.catalog.models import Collection
from disan.portal import links, listing
from disan.portal.labels import language_name

RECENT_COUNT = 8
COLLECTION_PAGE_SIZE = 24


def home(request):
    """Show collections, recent online documents and how many are online."""
    user = request.user
    context = {
        "online_count": published_documents(user).count(),
        "recent_documents": listing.recent_documents(user, RECENT_COUNT),
        "collections": listing.collections_with_counts(user),
    }
    return render(request, "portal/home.html", context)


def collection(request, slug):
    """List the online documents of one collection, a page at a time."""
    shelf = get_object_or_404(
        Collection.objects.select_related("holding_unit"), slug=slug
    )
    paginator = Paginator(
        listing.collection_documents(request.user, shelf), COLLECTION_PAGE_SIZE
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {"collection": shelf, "page_obj": page_obj}
    return render(request, "portal/collection.html", context)


@dataclass(frozen=True)
class ViewerPage:
    """One page as the viewer, the thumbnail strip and the text panel need it."""

    number: int
    id: str
    label: str
    info_url: str
    thumbnail_url: str | None
    download_url: str | None
    ocr_text: str


def document(request, document_id):
    """Show a document's description, its page viewer and the current page's text.

    Documents the user may not see and documents not online give the same
    404 as a document that does not exist.
    """
    queryset = published_documents(request.user).select_related(
        "holding_unit", "collection"
    )
    doc = get_object_or_404(queryset, pk=document_id)
    downloadable = can_download(request.user, doc)
    viewer_pages = [
        _viewer_page(doc, page, number, downloadable)
        for number, page in enumerate(doc.pages.order_by("sequence"), start=1)
    ]
    current = _current_number(request.GET.get("page"), len(viewer_pages))

    context = {
        "document": doc,
        "languages": [language_name(code) for code in doc.languages],
        "pages": viewer_pages,
        "current": viewer_pages[current - 1] if viewer_pages else None,
        "previous_number": current - 1 if current > 1 else None,
        "next_number": current + 1 if current < len(viewer_pages) else None,
        "manifest_url": links.manifest_url(doc.id),
        "viewer_config": {
            "direction": doc.reading_direction,
            "tileSources": [page.info_url for page in viewer_pages],
            "initialPage": current - 1,
            "prefixUrl": static("vendor/openseadragon/images/"),
            "positionText": _("Page %(number)s of %(total)s"),
        },
    }
    return render(request, "portal/document.html", context)


def _viewer_page(doc, page, number, downloadable):
    has_image = bool(page.pyramid_path)
    return ViewerPage(
        number=number,
        id=str(page.id),
        label=page.label or str(number),
        info_url=links.image_info_url(page.id),
        thumbnail_url=links.thumbnail_url(doc.id, page.id)
        if page.thumbnail_path
        else None,
        download_url=(
            links.download_url(doc.id, page.id) if downloadable and has_image else None
        ),
        ocr_text=page.ocr_text,
    )


def _current_number(raw, count):
    """Return the 1-based page asked for in ``?page=``, kept within the document."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(count, 1))
