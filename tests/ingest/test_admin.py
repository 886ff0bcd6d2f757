"""Staff see batches, jobs and refusals; nobody edits them by hand."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from disan.catalog.models import AccessLevel
from disan.ingest.models import Batch, Job, Rejection, Transfer
from tests.catalog.conftest import make_document


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


# A secret document, as ingest knows it: its transfer, jobs and refusals.
SECRET = ("HN-MẬT-01", "Thần tích mật đình Chèm")
# A batch folder whose metadata asks for secret access, not yet identified.
SECRET_UNIDENTIFIED = ("HN-MẬT-02", "Gia phả mật họ Đỗ")
SECRET_WORDS = (*SECRET, *SECRET_UNIDENTIFIED, "thư mục mật")


def ingest_user(username, *catalog_perms):
    """A staff user with every ingest permission and ``catalog_perms``."""
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ingest"),
        *Permission.objects.filter(
            content_type__app_label="catalog",
            codename__in=["view_heritagedocument", *catalog_perms],
        ),
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def batch(db):
    batch = Batch.objects.create(source="/lô quét/2026")
    public = make_document("HN-CÔNG-01", "Sắc phong làng Nhật Tân")
    secret = make_document(*SECRET, access_level=AccessLevel.SECRET)

    def transfer(document, folder, identifier, title, level):
        return Transfer.objects.create(
            batch=batch,
            document=document,
            source=f"/lô quét/2026/{folder}",
            staging_path=f"/tmp/transfers/{folder}",
            metadata={"identifier": identifier, "title": title, "access_level": level},
        )

    shown = transfer(
        public, "sắc phong", "HN-CÔNG-01", "Sắc phong làng Nhật Tân", "public"
    )
    hidden = transfer(secret, "thư mục mật", *SECRET, "secret")
    # Not identified yet: its metadata is all there is to go by.
    pending = transfer(None, "thư mục mật 2", *SECRET_UNIDENTIFIED, "secret")
    # Asks for public access under the identifier of a secret document.
    clash = transfer(None, "thư mục mật 3", SECRET[0], "Bản khác", "public")
    for item in (shown, hidden, pending, clash):
        Job.objects.create(
            transfer=item,
            step=Job.Step.STORE,
            status=Job.Status.FAILED,
            message=f"Replica 2 of {item.metadata['identifier']} was not written.",
        )
    Rejection.objects.create(
        batch=batch,
        transfer=hidden,
        path="/lô quét/2026/thư mục mật/trang 3.gif",
        code="access_loosened",
        reason=f"{SECRET[0]} is secret in the catalog.",
    )
    Rejection.objects.create(
        batch=batch, path="/lô quét/2026/ghi chú.txt", code="no_folder", reason="lạc"
    )
    return batch


def pages(client, batch):
    """Every ingest staff page about ``batch``: list, detail, delete, history."""
    urls = [
        reverse(f"admin:ingest_{model}_changelist") + query
        for model in ("batch", "transfer", "job", "rejection")
        for query in ("", "?_facets=True")
    ]
    urls += [
        reverse("admin:ingest_batch_change", args=[batch.pk]),
        reverse("admin:ingest_batch_delete", args=[batch.pk]),
    ]
    for model, objects in (
        ("transfer", Transfer.objects.all()),
        ("job", Job.objects.all()),
        ("rejection", Rejection.objects.all()),
    ):
        for obj in objects:
            urls += [
                reverse(f"admin:ingest_{model}_{view}", args=[obj.pk])
                for view in ("change", "history", "delete")
            ]
    return {url: client.get(url, follow=True) for url in urls}


def found(client, model, query):
    response = client.get(reverse(f"admin:ingest_{model}_changelist"), {"q": query})
    assert response.status_code == 200
    return [str(obj.pk) for obj in response.context["cl"].result_list]


def test_staff_who_may_not_see_a_secret_document_see_nothing_of_it(client, batch):
    client.force_login(ingest_user("thu-kho"))

    for url, response in pages(client, batch).items():
        assert response.status_code == 200, url
        text = response.content.decode()
        for word in SECRET_WORDS:
            assert word not in text, (url, word)

    listing = client.get(reverse("admin:ingest_transfer_changelist"))
    assert "HN-CÔNG-01: Sắc phong làng Nhật Tân" in listing.content.decode()
    assert listing.context["cl"].full_result_count == 1
    jobs = client.get(reverse("admin:ingest_job_changelist"))
    assert jobs.context["cl"].full_result_count == 1
    assert found(client, "job", SECRET[0]) == []
    assert found(client, "job", SECRET_UNIDENTIFIED[0]) == []
    assert found(client, "transfer", SECRET[0]) == []
    assert found(client, "transfer", "thư mục mật") == []
    assert found(client, "rejection", SECRET[0]) == []
    assert found(client, "job", "HN-CÔNG-01") != []
    # A batch holding what they may not see is not theirs to delete.
    delete = client.post(
        reverse("admin:ingest_batch_delete", args=[batch.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Transfer.objects.count() == 4


def test_staff_who_may_see_secret_documents_see_their_ingest(client, batch):
    client.force_login(ingest_user("luu-tru", "view_secret_document"))
    hidden = Transfer.objects.get(document__identifier=SECRET[0])

    listing = client.get(reverse("admin:ingest_transfer_changelist"))
    assert "HN-MẬT-01: Thần tích mật đình Chèm" in listing.content.decode()
    assert listing.context["cl"].full_result_count == 4
    detail = client.get(reverse("admin:ingest_transfer_change", args=[hidden.pk]))
    assert detail.status_code == 200
    assert "Thần tích mật đình Chèm" in detail.content.decode()
    summary = client.get(reverse("admin:ingest_batch_change", args=[batch.pk]))
    assert "thư mục mật/trang 3.gif" in summary.content.decode()
    assert len(found(client, "job", SECRET[0])) == 2
    assert found(client, "transfer", SECRET[0]) == [str(hidden.pk)]
    assert len(found(client, "rejection", SECRET[0])) == 1


def test_a_conditional_documents_transfer_needs_the_conditional_permission(client, db):
    batch = Batch.objects.create(source="/lô quét/2026")
    document = make_document(
        "HN-ĐK-01", "Hương ước làng Đông Ngạc", access_level=AccessLevel.CONDITIONAL
    )
    Transfer.objects.create(batch=batch, document=document, source="/lô", metadata={})
    url = reverse("admin:ingest_transfer_changelist")

    client.force_login(ingest_user("thu-kho"))
    assert "HN-ĐK-01" not in client.get(url).content.decode()
    client.force_login(ingest_user("doc-gia", "view_conditional_document"))
    assert "HN-ĐK-01" in client.get(url).content.decode()
