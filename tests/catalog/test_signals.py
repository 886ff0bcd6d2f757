"""Catalog edits reach the search index once committed."""

import pytest
from django.contrib.auth.models import AnonymousUser

from disan.access.policy import visible_levels
from disan.catalog.models import AccessLevel, DocumentStatus
from disan.search import get_backend
from tests.catalog.conftest import make_document

pytestmark = pytest.mark.django_db


def public_hits(query):
    results = get_backend().search(query, access_levels=visible_levels(AnonymousUser()))
    return [hit.id for hit in results.hits]


def test_a_document_made_secret_leaves_public_search(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document("HN-SP-010", "Sắc phong thành hoàng làng Quảng Bá")
    assert public_hits("Quảng Bá") == [str(document.id)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document.access_level = AccessLevel.SECRET
        document.save()
    assert len(callbacks) == 1
    assert public_hits("Quảng Bá") == []
    assert public_hits("quang ba") == []


def test_an_edit_of_unindexed_fields_does_not_reindex(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document("HN-SP-011", "Sắc phong làng Nghi Tàm")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document.storage_location = "Kho 2, giá 14"
        document.save()
    assert callbacks == []


def test_a_document_taken_offline_or_deleted_leaves_search(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_document("HN-SP-012", "Văn bia chùa Kim Liên")
        second = make_document("HN-SP-013", "Văn bia đình Kim Liên")
    assert sorted(public_hits("Kim Liên")) == sorted([str(first.id), str(second.id)])
    with django_capture_on_commit_callbacks(execute=True):
        first.status = DocumentStatus.PROCESSING
        first.save()
        second.delete()
    assert public_hits("Kim Liên") == []
    assert get_backend().count() == 0
