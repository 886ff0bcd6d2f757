"""record_event(): PREMIS events as rows."""

import unicodedata

import pytest

from disan.catalog.models import HeritageDocument
from disan.preservation.events import record_event
from disan.preservation.exceptions import InvalidEvent
from disan.preservation.models import PreservationEvent

pytestmark = pytest.mark.django_db


def test_event_is_saved_with_the_default_agent():
    document = HeritageDocument.objects.create(
        identifier="HN-VM-001", title="Đại Nam nhất thống chí"
    )

    event = record_event(
        document=document,
        event_type=PreservationEvent.Type.INGESTION,
        outcome=PreservationEvent.Outcome.SUCCESS,
        detail="Lưu bản gốc vào kho OCFL",
        data={"version": "v1", "files": 12},
        file_path="Quyển 1/trang 001.jpg",
    )

    saved = PreservationEvent.objects.get(pk=event.pk)
    assert saved.document == document
    assert saved.event_type == "ingestion"
    assert saved.outcome == "success"
    assert saved.detail == "Lưu bản gốc vào kho OCFL"
    assert saved.data == {"version": "v1", "files": 12}
    assert saved.file_path == "Quyển 1/trang 001.jpg"
    assert saved.agent == "Disan 0.1.0"
    assert list(document.events.all()) == [saved]


def test_text_is_stored_in_nfc_and_the_agent_kept():
    event = record_event(
        document=None,
        event_type="fixity check",
        outcome="failure",
        detail=unicodedata.normalize("NFD", "Sai mã băm"),
        file_path=unicodedata.normalize("NFD", "trang đầu.jpg"),
        agent=unicodedata.normalize("NFD", "Trần Văn Đức"),
    )
    assert event.detail == "Sai mã băm"
    assert event.file_path == "trang đầu.jpg"
    assert event.agent == "Trần Văn Đức"
    assert event.data == {}


def test_unknown_event_type_is_refused():
    with pytest.raises(InvalidEvent) as caught:
        record_event(document=None, event_type="sao lưu", outcome="success")
    assert str(caught.value) == (
        "Unknown preservation event type 'sao lưu'; use one of ingestion, message "
        "digest calculation, format identification, metadata extraction, "
        "validation, creation, derivation, fixity check, replication, metadata "
        "modification."
    )
    assert PreservationEvent.objects.count() == 0


def test_unknown_outcome_is_refused():
    with pytest.raises(InvalidEvent) as caught:
        record_event(document=None, event_type="validation", outcome="ok")
    assert str(caught.value) == (
        "Unknown outcome 'ok' of a validation event; use one of success, "
        "failure, warning."
    )
