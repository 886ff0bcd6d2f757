"""Build the IIIF Presentation API 3.0 manifest of a heritage document.

``build_manifest`` is pure apart from reading the document's pages;
``manifest_json`` adds a cache so a manifest of hundreds of pages is built
once per change of the document.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse

from disan.access.policy import can_view
from disan.catalog.models import AccessLevel, HeritageStatus
from disan.iiif import collections, vocabulary
from disan.iiif.alto import ALTO_PROFILE
from disan.iiif.auth import probe_service
from disan.iiif.info import MAX_AREA, PROFILE, image_service_id
from disan.iiif.parameters import max_size, parse_image_request
from disan.iiif.vocabulary import PRESENTATION_CONTEXT

logger = logging.getLogger(__name__)

__all__ = ["PRESENTATION_CONTEXT", "build_manifest", "manifest_json"]

# Seconds a built manifest stays cached; the key changes with the document
# anyway, so this only bounds memory held by stale entries.
_CACHE_SECONDS = 24 * 3600


def manifest_json(document, base_url):
    """Return the manifest of ``document`` serialized as JSON, cached.

    The cache key holds the document's ``updated`` time and page count.
    Limitation: a change to a page alone (a new label or size) that does
    not save the document is not seen until the entry expires; ingest and
    derivation save the document when they finish, so this matters only for
    hand edits of pages.
    """
    base_hash = hashlib.sha1(base_url.encode()).hexdigest()[:16]
    key = (
        f"iiif:manifest:{document.id}:{document.updated.isoformat()}:"
        f"{document.page_count}:{base_hash}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    text = json.dumps(build_manifest(document, base_url), ensure_ascii=False)
    cache.set(key, text, _CACHE_SECONDS)
    return text


def build_manifest(document, base_url):
    """Return the Presentation 3.0 manifest of ``document`` as a dict.

    ``base_url`` is the scheme and host every id starts with, without a
    trailing slash, e.g. ``https://disan.example.vn``.
    """
    manifest_id = base_url + reverse("iiif:manifest", args=[document.id])
    pages = _pages(document)
    # Images of a document the public may not see announce the probe
    # service, so viewers know to offer a login.
    restricted = not can_view(None, document)
    manifest = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": {"vi": [document.title], "en": [document.title]},
        "metadata": _metadata(document),
        "viewingDirection": (
            "right-to-left" if document.is_right_to_left else "left-to-right"
        ),
    }
    if document.description:
        manifest["summary"] = {"vi": [document.description]}
    if len(pages) > 1:
        manifest["behavior"] = ["paged"]
    if document.holding_unit is not None:
        unit = document.holding_unit
        manifest["requiredStatement"] = {
            "label": vocabulary.language_map(vocabulary.FIELDS["holding_unit"]),
            "value": {"vi": [unit.name], "en": [unit.name_en or unit.name]},
        }
    # Limitation: documents record no rights statement of their own yet, so
    # every manifest carries DISAN_DEFAULT_RIGHTS; a per-document field in
    # the catalog would replace it.
    if settings.DISAN_DEFAULT_RIGHTS:
        manifest["rights"] = settings.DISAN_DEFAULT_RIGHTS
    if pages:
        manifest["thumbnail"] = [_thumbnail(pages[0], base_url, restricted)]
    manifest["homepage"] = [_homepage(document, base_url)]
    part_of = _part_of(document, base_url)
    if part_of:
        manifest["partOf"] = part_of
    manifest["items"] = [
        _canvas(document, page, position, manifest_id, base_url, restricted)
        for position, page in enumerate(pages, start=1)
    ]
    structures = _structures(document, pages, manifest_id)
    if structures:
        manifest["structures"] = structures
    return manifest


def _part_of(document, base_url):
    part_of = []
    if document.holding_unit is not None:
        unit = document.holding_unit
        part_of.append(
            {
                "id": collections.unit_collection_id(unit, base_url),
                "type": "Collection",
                "label": collections.unit_label(unit),
            }
        )
    if document.collection is not None:
        named = document.collection
        part_of.append(
            {
                "id": collections.named_collection_id(named, base_url),
                "type": "Collection",
                "label": collections.collection_label(named),
            }
        )
    return part_of


def _structures(document, pages, manifest_id):
    """Return a table of contents: one range per master file.

    Only documents made of several files get one; a single file's range
    would repeat the manifest.
    Limitation: chapters within a file are not recorded at ingest, so a
    single PDF of many chapters gets no table of contents yet.
    """
    files = {}
    for page in pages:
        files.setdefault(page.master_file_id, (page.master_filename, []))[1].append(
            page
        )
    if len(files) < 2:
        return []
    ranges = []
    for number, (filename, file_pages) in enumerate(files.values(), start=1):
        ranges.append(
            {
                "id": f"{manifest_id}/range/file-{number}",
                "type": "Range",
                "label": {"none": [filename]},
                "items": [
                    {"id": f"{manifest_id}/canvas/{page.id}", "type": "Canvas"}
                    for page in file_pages
                ],
            }
        )
    return [
        {
            "id": f"{manifest_id}/range/toc",
            "type": "Range",
            "label": vocabulary.language_map(vocabulary.FIELDS["contents"]),
            "items": ranges,
        }
    ]


def _pages(document):
    """Return the pages that can be shown, in sequence order."""
    queryset = (
        document.pages.order_by("sequence")
        .only(
            "id",
            "document_id",
            "master_file_id",
            "sequence",
            "label",
            "width",
            "height",
        )
        .annotate(
            has_text=ExpressionWrapper(~Q(ocr_text=""), output_field=BooleanField()),
            master_filename=F("master_file__filename"),
        )
    )
    pages = []
    for page in queryset:
        if page.width < 1 or page.height < 1:
            logger.warning(
                "Page %s of document %s has no recorded size; left out of the manifest",
                page.id,
                document.id,
            )
            continue
        pages.append(page)
    return pages


def _metadata(document):
    entries = [("identifier", {"none": [document.identifier]})]
    if document.original_title:
        entries.append(("original_title", {"none": [document.original_title]}))
    if document.doc_type:
        entries.append(("type", {"vi": [document.doc_type]}))
    date = _date(document)
    if date:
        entries.append(("date", {"none": [date]}))
    if document.languages:
        entries.append(
            (
                "languages",
                vocabulary.named_list(document.languages, vocabulary.LANGUAGES),
            )
        )
    if document.scripts:
        entries.append(
            ("scripts", vocabulary.named_list(document.scripts, vocabulary.SCRIPTS))
        )
    if document.holding_unit is not None:
        unit = document.holding_unit
        entries.append(
            ("holding_unit", {"vi": [unit.name], "en": [unit.name_en or unit.name]})
        )
    if document.collection is not None:
        collection = document.collection
        english = collection.title_en or collection.title
        entries.append(("collection", {"vi": [collection.title], "en": [english]}))
    status = vocabulary.HERITAGE_STATUS[HeritageStatus(document.heritage_status)]
    entries.append(("heritage_status", vocabulary.language_map(status)))
    level = vocabulary.ACCESS_LEVEL[AccessLevel(document.access_level)]
    entries.append(("access_level", vocabulary.language_map(level)))
    return [
        {"label": vocabulary.language_map(vocabulary.FIELDS[field]), "value": value}
        for field, value in entries
    ]


def _date(document):
    if document.date_written:
        return document.date_written
    if document.year_start is not None and document.year_end not in (
        None,
        document.year_start,
    ):
        return f"{document.year_start}–{document.year_end}"
    if document.year_start is not None:
        return str(document.year_start)
    return ""


def _image_service(page, base_url, restricted=False):
    """Return the services of a page's image: its image service, and the
    probe service of the IIIF Authorization Flow when it is restricted."""
    services = [
        {
            "id": image_service_id(page, base_url),
            "type": "ImageService3",
            "profile": PROFILE,
        }
    ]
    if restricted:
        services.append(probe_service(page.image_id, base_url))
    return services


def _thumbnail(page, base_url, restricted):
    side = settings.DISAN_THUMBNAIL_SIZE
    # A page smaller than the thumbnail box is shown whole: !w,h would ask
    # for upscaling, which Image API 3.0 refuses without ^.
    fits = page.width <= side and page.height <= side
    request = parse_image_request(
        "full",
        "max" if fits else f"!{side},{side}",
        "0",
        "default.jpg",
        width=page.width,
        height=page.height,
    )
    return {
        "id": f"{image_service_id(page, base_url)}/{request.canonical()}",
        "type": "Image",
        "format": "image/jpeg",
        "width": request.width,
        "height": request.height,
        "service": _image_service(page, base_url, restricted),
    }


def _homepage(document, base_url):
    # The portal's document page; its URL is fixed by the portal app.
    return {
        "id": f"{base_url}/documents/{document.id}/",
        "type": "Text",
        "label": {"vi": [document.title], "en": [document.title]},
        "format": "text/html",
    }


def _canvas(document, page, position, manifest_id, base_url, restricted):
    canvas_id = f"{manifest_id}/canvas/{page.id}"
    width, height = max_size(page.width, page.height, MAX_AREA)
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": {"none": [page.label or str(position)]},
        "width": page.width,
        "height": page.height,
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/painting",
                        "type": "Annotation",
                        "motivation": "painting",
                        "target": canvas_id,
                        "body": {
                            "id": f"{image_service_id(page, base_url)}/full/max/0/"
                            "default.jpg",
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": width,
                            "height": height,
                            "service": _image_service(page, base_url, restricted),
                        },
                    }
                ],
            }
        ],
    }
    if page.has_text:
        text_url = reverse("iiif:page-text", args=[document.id, page.id])
        canvas["seeAlso"] = [
            {
                "id": base_url + text_url,
                "type": "Text",
                "label": vocabulary.language_map(vocabulary.FIELDS["page_text"]),
                "format": "text/plain",
            },
            {
                "id": base_url + reverse("iiif:page-alto", args=[document.id, page.id]),
                "type": "Dataset",
                "label": vocabulary.language_map(vocabulary.FIELDS["page_alto"]),
                "format": "application/xml",
                "profile": ALTO_PROFILE,
            },
        ]
    return canvas
