"""IIIF Presentation API 3.0 collections: all, per holding unit, per collection.

A collection lists the manifests of the online documents the asking user
may see, so its contents depend on the user like every other listing of the
portal. Only ids and labels are read: no page is touched.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from disan.access.policy import published_documents
from disan.catalog.models import Collection, HeritageDocument, HoldingUnit
from disan.iiif.vocabulary import PRESENTATION_CONTEXT

TOP_LABEL = {"vi": ["Di sản tư liệu"], "en": ["Documentary heritage"]}
TOP_SUMMARY = {
    "vi": ["Các đơn vị lưu giữ và sưu tập của Di sản."],
    "en": ["The holding units and collections in Disan."],
}
UNIT_SUMMARY = {
    "vi": ["Tài liệu do đơn vị này lưu giữ."],
    "en": ["Documents held by this unit."],
}
HOLDING_UNIT_LABEL = {"vi": ["Đơn vị lưu giữ"], "en": ["Holding unit"]}


def top_collection_id(base_url):
    return base_url + reverse("iiif:collection-top")


def unit_collection_id(unit, base_url):
    return base_url + reverse("iiif:collection-unit", args=[unit.code])


def named_collection_id(collection, base_url):
    return base_url + reverse("iiif:collection", args=[collection.slug])


def unit_label(unit):
    return {"vi": [unit.name], "en": [unit.name_en or unit.name]}


def collection_label(collection):
    return {"vi": [collection.title], "en": [collection.title_en or collection.title]}


def build_top_collection(user, base_url):
    """Return the collection of every holding unit and named collection.

    A unit or collection is listed when the user may see at least one of
    its online documents, so the list itself tells nothing of hidden ones.
    """
    visible = published_documents(user)
    units = HoldingUnit.objects.filter(documents__in=visible).distinct()
    collections = Collection.objects.filter(documents__in=visible).distinct()
    items = [
        {
            "id": unit_collection_id(unit, base_url),
            "type": "Collection",
            "label": unit_label(unit),
        }
        for unit in units.order_by("code")
    ]
    items += [
        {
            "id": named_collection_id(collection, base_url),
            "type": "Collection",
            "label": collection_label(collection),
        }
        for collection in collections.order_by("slug")
    ]
    collection = _frame(top_collection_id(base_url), TOP_LABEL, items)
    collection["summary"] = TOP_SUMMARY
    return collection


def build_unit_collection(user, code, base_url):
    """Return the collection of the documents unit ``code`` holds."""
    unit = HoldingUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404("No such holding unit.")
    documents = published_documents(
        user, HeritageDocument.objects.filter(holding_unit=unit)
    )
    collection = _frame(
        unit_collection_id(unit, base_url),
        unit_label(unit),
        _manifest_refs(documents, base_url),
    )
    collection["summary"] = UNIT_SUMMARY
    collection["requiredStatement"] = {
        "label": HOLDING_UNIT_LABEL,
        "value": unit_label(unit),
    }
    collection["partOf"] = [{"id": top_collection_id(base_url), "type": "Collection"}]
    return collection


def build_named_collection(user, slug, base_url):
    """Return the collection ``slug`` with the documents in it."""
    named = Collection.objects.select_related("holding_unit").filter(slug=slug).first()
    if named is None:
        raise Http404("No such collection.")
    documents = published_documents(
        user, HeritageDocument.objects.filter(collection=named)
    )
    collection = _frame(
        named_collection_id(named, base_url),
        collection_label(named),
        _manifest_refs(documents, base_url),
    )
    if named.description:
        collection["summary"] = {"vi": [named.description]}
    part_of = [{"id": top_collection_id(base_url), "type": "Collection"}]
    if named.holding_unit is not None:
        collection["requiredStatement"] = {
            "label": HOLDING_UNIT_LABEL,
            "value": unit_label(named.holding_unit),
        }
        part_of.append(
            {
                "id": unit_collection_id(named.holding_unit, base_url),
                "type": "Collection",
            }
        )
    collection["partOf"] = part_of
    return collection


def _frame(collection_id, label, items):
    collection = {
        "@context": PRESENTATION_CONTEXT,
        "id": collection_id,
        "type": "Collection",
        "label": label,
    }
    if settings.DISAN_DEFAULT_RIGHTS:
        collection["rights"] = settings.DISAN_DEFAULT_RIGHTS
    collection["items"] = items
    return collection


def _manifest_refs(documents, base_url):
    rows = documents.order_by("identifier").values_list("id", "title")
    return [
        {
            "id": base_url + reverse("iiif:manifest", args=[document_id]),
            "type": "Manifest",
            "label": {"vi": [title], "en": [title]},
        }
        for document_id, title in rows
    ]
