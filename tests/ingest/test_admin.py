"""Staff see batches, jobs and refusals; nobody edits them by hand."""

import pytest
from django.contrib.auth.models import User

from disan.ingest.models import Batch, Rejection


@pytest.fixture
def staff_client(client, db):
    client.force_login(User.objects.create_superuser("quản-trị", password="x" * 12))
    return client


def test_batches_and_refusals_are_listed_read_only(staff_client):
    batch = Batch.objects.create(source="/lô quét/2026")
    Rejection.objects.create(
        batch=batch,
        path="/lô quét/2026/sách/bom.gif",
        code="too_large",
        reason="bom.gif is 65535 x 66601 pixels",
    )

    listing = staff_client.get("/staff/ingest/rejection/").content.decode()
    detail = staff_client.get(f"/staff/ingest/batch/{batch.pk}/change/")

    assert "/lô quét/2026/sách/bom.gif" in listing
    assert detail.status_code == 200
    assert "bom.gif is 65535 x 66601 pixels" in detail.content.decode()
    assert staff_client.get("/staff/ingest/batch/add/").status_code == 403
    assert (
        staff_client.post(
            f"/staff/ingest/batch/{batch.pk}/change/", {"source": "x"}
        ).status_code
        == 403
    )
