"""The main job, end to end: real scans in; preserved, searchable, viewable out.

One batch (the 12-page Đại Nam nhất thống chí manuscript, the hostile files
beside a printed Vietnamese page, and a secret document) goes through the
real ``disan ingest`` command, a real Celery worker process and real
Tesseract; the portal is then read over HTTP from ``disan serve``.
"""

import hashlib
import json
import re

import jsonschema
import ocfl
import PIL.Image
import pytest
import pyvips

from tests.e2e.conftest import HOSTILE, SAMPLES, SHARED, query, run_disan

pytestmark = pytest.mark.slow

BOOK = SAMPLES / "dai-nam-nhat-thong-chi"
PRINTED = SAMPLES / "printed-vietnamese" / "VietOCR_vietsample_2p_G4.tif"
CJK = re.compile(r"[\u4e00-\u9fff\U00020000-\U0003134f]")


# The worker's periodic fixity audit may add events at any time.
EVENTS_BUT_AUDITS = (
    "SELECT count(*) AS n FROM preservation_preservationevent "
    "WHERE event_type != 'fixity check'"
)


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def by_identifier(summary):
    return {doc["identifier"]: doc for doc in summary["documents"]}


def pages_of(home, identifier):
    return query(
        home,
        """
        SELECT p.*, m.filename, m.sha256, m.logical_path FROM catalog_page p
        JOIN catalog_masterfile m ON m.id = p.master_file_id
        JOIN catalog_heritagedocument d ON d.id = p.document_id
        WHERE d.identifier = ? ORDER BY p.sequence""",
        (identifier,),
    )


def test_summary_counts_documents_pages_bytes_and_every_refusal(ingested):
    _, batch, summary = ingested
    docs = by_identifier(summary)

    book_bytes = sum(path.stat().st_size for path in BOOK.glob("*.jpg"))
    accepted = [
        "hopper_orientation_6.jpg",
        "multipage_out_of_order.tiff",
        "tiff_16bit_RGBa.tiff",
        "tiff_tiled_cmyk_jpeg.tif",
    ]
    mixed_bytes = sum((HOSTILE / name).stat().st_size for name in accepted)
    mixed_bytes += PRINTED.stat().st_size
    secret_bytes = (BOOK / "page_004.jpg").stat().st_size

    assert sorted(docs) == ["DNNTC-Q1", "HON-HOP-01", "MAT-01"]
    assert (docs["DNNTC-Q1"]["pages"], docs["DNNTC-Q1"]["bytes"]) == (12, book_bytes)
    assert (docs["HON-HOP-01"]["pages"], docs["HON-HOP-01"]["bytes"]) == (
        8,
        mixed_bytes,
    )
    assert summary["totals"] == {
        "documents": 3,
        "pages": 21,
        "bytes": book_bytes + mixed_bytes + secret_bytes,
        "rejected": 3,
        "documents_refused": 0,
        "files_refused": 3,
        "failed_jobs": 0,
    }
    assert {doc["status"] for doc in docs.values()} == {"online"}
    assert docs["DNNTC-Q1"]["ocr"] == {"done": 12, "skipped": 0, "failed": 0}
    assert docs["DNNTC-Q1"]["manifest"].endswith(
        f"/iiif/3/documents/{docs['DNNTC-Q1']['id']}/manifest"
    )

    mixed = batch / "tệp hỗn hợp"
    assert [(item["path"], item["code"]) for item in summary["rejected"]] == [
        (str(mixed / "decompression_bomb.gif"), "too_large"),
        (str(mixed / "r6-user-password.pdf"), "encrypted"),
        (str(mixed / "truncated_jpeg.jpg"), "corrupt"),
    ]
    reasons = {item["code"]: item["reason"] for item in summary["rejected"]}
    assert reasons["too_large"].startswith(
        "decompression_bomb.gif is 65535 x 66601 pixels, over the limit"
    )
    assert "needs a password" in reasons["encrypted"]
    assert "truncated" in reasons["corrupt"]


def test_masters_are_stored_unchanged_in_a_valid_ocfl_storage_root(ingested):
    home, _, _ = ingested
    root = ocfl.StorageRoot(root=str(home / "ocfl"))
    assert root.validate(log_warnings=False) is True
    assert (root.num_objects, root.good_objects) == (3, 3)

    pages = pages_of(home, "DNNTC-Q1")
    assert [page["filename"] for page in pages] == [
        f"page_{n:03d}.jpg" for n in range(1, 13)
    ]
    for page in pages:
        assert page["sha256"] == sha256(BOOK / page["filename"])

    # The stored content files themselves are bit for bit the scans.
    (obj,) = query(
        home,
        "SELECT ocfl_object_id FROM catalog_heritagedocument "
        "WHERE identifier = 'DNNTC-Q1'",
    )
    stored = [path for path in (home / "ocfl").rglob("v1/content/page_*.jpg")]
    assert len(stored) == 12
    assert {sha256(path) for path in stored} == {sha256(p) for p in BOOK.glob("*.jpg")}
    assert obj["ocfl_object_id"].startswith("urn:uuid:")

    # Refused files never reach preservation.
    names = {path.name for path in (home / "ocfl").rglob("*") if path.is_file()}
    assert not names & {
        "decompression_bomb.gif",
        "truncated_jpeg.jpg",
        "r6-user-password.pdf",
    }


def test_preservation_events_record_digests_formats_and_derivations(ingested):
    home, _, _ = ingested
    counts = query(
        home,
        """
        SELECT e.event_type, count(*) AS n FROM preservation_preservationevent e
        JOIN catalog_heritagedocument d ON d.id = e.document_id
        WHERE d.identifier = 'DNNTC-Q1' AND e.event_type != 'fixity check'
        GROUP BY e.event_type ORDER BY e.event_type""",
    )
    assert {row["event_type"]: row["n"] for row in counts} == {
        "derivation": 12,
        "format identification": 12,
        "ingestion": 1,
        "message digest calculation": 12,
        "validation": 12,
    }


def test_derivatives_are_tiled_pyramids_and_thumbnails_of_exact_size(ingested):
    home, _, _ = ingested
    for page in pages_of(home, "DNNTC-Q1"):
        pyramid = pyvips.Image.new_from_file(
            str(home / "derivatives" / page["pyramid_path"])
        )
        # 2000 -> 1000 -> 500 -> 250: four levels of 256-px tiles.
        assert (pyramid.width, pyramid.height, pyramid.get_n_pages()) == (2000, 1773, 4)
        assert (pyramid.bands, pyramid.format) == (3, "uchar")
        with PIL.Image.open(home / "derivatives" / page["pyramid_path"]) as tiff:
            # TIFF tags 322/323: TileWidth, TileLength.
            assert (tiff.tag_v2[322], tiff.tag_v2[323]) == (256, 256)
        thumb = pyvips.Image.new_from_file(
            str(home / "derivatives" / page["thumbnail_path"])
        )
        assert (thumb.width, thumb.height) == (400, 355)
        assert (page["width"], page["height"]) == (2000, 1773)


def test_hostile_but_valid_files_end_as_the_cases_say(ingested):
    home, _, _ = ingested
    pages = pages_of(home, "HON-HOP-01")
    assert [
        (p["filename"], p["page_in_file"], p["width"], p["height"]) for p in pages
    ] == [
        ("hopper_orientation_6.jpg", 0, 128, 128),
        ("multipage_out_of_order.tiff", 0, 10, 10),
        ("multipage_out_of_order.tiff", 1, 20, 20),
        ("multipage_out_of_order.tiff", 2, 10, 10),
        ("tiff_16bit_RGBa.tiff", 0, 100, 40),
        ("tiff_tiled_cmyk_jpeg.tif", 0, 100, 100),
        ("VietOCR_vietsample_2p_G4.tif", 0, 2550, 3300),
        ("VietOCR_vietsample_2p_G4.tif", 1, 2550, 3300),
    ]
    for page in pages:
        original = HOSTILE / page["filename"]
        if not original.exists():
            original = PRINTED
        assert page["sha256"] == sha256(original)
        pyramid = pyvips.Image.new_from_file(
            str(home / "derivatives" / page["pyramid_path"])
        )
        assert (pyramid.bands, pyramid.format, pyramid.interpretation) == (
            3,
            "uchar",
            "srgb",
        )

    # 16-bit RGBA: its fully transparent corner is flattened on white.
    rgba = pyvips.Image.new_from_file(str(HOSTILE / "tiff_16bit_RGBa.tiff"))
    derived = pyvips.Image.new_from_file(
        str(home / "derivatives" / pages[4]["pyramid_path"])
    )
    transparent = [
        (x, y) for x, y in ((0, 0), (99, 0), (0, 39), (99, 39)) if rgba(x, y)[3] == 0
    ]
    assert transparent
    for x, y in transparent:
        # White, give or take the JPEG compression of the pyramid.
        assert all(value >= 250 for value in derived(x, y)), (x, y, derived(x, y))


def test_ocr_text_is_kept_per_page_with_boxes(ingested):
    home, _, _ = ingested
    book = pages_of(home, "DNNTC-Q1")
    assert {page["ocr_languages"] for page in book} == {"chi_tra_vert"}
    for page in book:
        assert len(CJK.findall(page["ocr_text"])) >= 50
        lines = json.loads(page["ocr_lines"])
        assert lines and all(len(line["bbox"]) == 4 for line in lines)

    printed = [
        p for p in pages_of(home, "HON-HOP-01") if p["filename"].startswith("VietOCR")
    ]
    assert printed[0]["ocr_languages"] == "vie"
    for phrase in ("Tôi", "cuối thu", "đường", "trường"):
        assert phrase in printed[0]["ocr_text"]


def test_ingesting_the_same_batch_again_changes_nothing(ingested):
    home, batch, first = ingested
    before = {
        "pages": query(
            home, "SELECT id, pyramid_path, ocr_text FROM catalog_page ORDER BY id"
        ),
        "events": query(home, EVENTS_BUT_AUDITS),
        "docs": query(
            home,
            "SELECT id, ocfl_version, updated FROM catalog_heritagedocument "
            "ORDER BY id",
        ),
    }
    again = json.loads(run_disan(home, "ingest", str(batch), "--json").stdout)

    assert [doc["changed"] for doc in again["documents"]] == [False, False, False]
    assert [doc["id"] for doc in again["documents"]] == [
        doc["id"] for doc in first["documents"]
    ]
    assert again["totals"] == first["totals"]
    assert before == {
        "pages": query(
            home, "SELECT id, pyramid_path, ocr_text FROM catalog_page ORDER BY id"
        ),
        "events": query(home, EVENTS_BUT_AUDITS),
        "docs": query(
            home,
            "SELECT id, ocfl_version, updated FROM catalog_heritagedocument "
            "ORDER BY id",
        ),
    }
    assert not list((home / "ocfl").rglob("v2"))


def test_portal_shows_and_finds_the_book_in_vietnamese(ingested, server):
    _, _, summary = ingested
    book = by_identifier(summary)["DNNTC-Q1"]

    status, headers, body = server.get("/")
    assert status == 200 and "Đại Nam nhất thống chí" in body.decode()
    assert 'lang="vi"' in body.decode()

    for query_text in ("dai nam", "Đại Nam", "DAI NAM", "đường sá", "duong sa", "統志"):
        status, _, body = server.get("/search/?q=" + _quote(query_text))
        assert status == 200
        assert f"/documents/{book['id']}/" in body.decode(), query_text

    # A query edited into the address, far past the box's 200 characters:
    # the portal's own message, in Vietnamese, not the server's bare 414.
    # 480 Hán characters take 4,320 bytes percent-encoded.
    status, _, body = server.get("/search/?q=" + _quote("大南一統志卷之一" * 60))
    assert status == 200
    assert "Nội dung tìm kiếm dài 480 ký tự" in body.decode()

    status, _, body = server.get(f"/documents/{book['id']}/")
    page = body.decode()
    assert status == 200
    assert "大南一統志 卷之一" in page and 'dir="rtl"' in page
    assert "/static/vendor/openseadragon/openseadragon.min.js" in page


def test_iiif_manifest_and_images_serve_the_book(ingested, server):
    _, _, summary = ingested
    book = by_identifier(summary)["DNNTC-Q1"]

    status, manifest = server.json(f"/iiif/3/documents/{book['id']}/manifest")
    assert status == 200
    schema = json.loads(
        (SHARED / "judges" / "iiif" / "presentation-3.0.schema.json").read_text()
    )
    jsonschema.validate(manifest, schema)
    assert manifest["viewingDirection"] == "right-to-left"
    assert manifest["label"]["vi"] == ["Đại Nam nhất thống chí, quyển 1"]
    assert "en" in manifest["label"]
    canvases = manifest["items"]
    assert len(canvases) == 12
    assert {(c["width"], c["height"]) for c in canvases} == {(2000, 1773)}

    service = canvases[0]["items"][0]["items"][0]["body"]["service"][0]
    image_path = service["id"].split(server.base, 1)[1]
    status, info = server.json(image_path + "/info.json")
    assert status == 200 and (info["width"], info["height"]) == (2000, 1773)
    status, headers, body = server.get(image_path + "/0,0,512,512/256,/0/default.jpg")
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    tile = pyvips.Image.new_from_buffer(body, "")
    assert (tile.width, tile.height) == (256, 256)


def test_anonymous_users_never_reach_the_secret_document(ingested, server):
    home, _, summary = ingested
    secret = by_identifier(summary)["MAT-01"]
    (page,) = pages_of(home, "MAT-01")
    doc = f"/documents/{secret['id']}/"
    ways_out = [
        doc,
        f"{doc}pages/{page['id']}/thumbnail.jpg",
        f"{doc}pages/{page['id']}/download.jpg",
        f"/iiif/3/documents/{secret['id']}/manifest",
        f"/iiif/3/images/{page['id']}/info.json",
        f"/iiif/3/images/{page['id']}/full/max/0/default.jpg",
        f"/iiif/3/documents/{secret['id']}/pages/{page['id']}/text",
    ]
    for path in ways_out:
        status, _, body = server.get(_dashed(path))
        # A secret document does not exist for those who may not see it.
        assert status == 404, path
        assert b"\xc4\x91\xc3\xaa \xc4\x91i\xe1\xbb\x81u" not in body  # "đê điều"

    for query_text in ("đê điều", "de dieu", "Hồ sơ mật", "MAT-01"):
        _, _, body = server.get("/search/?q=" + _quote(query_text))
        text = body.decode()
        assert secret["id"] not in text, (
            query_text,
            text[text.find(secret["id"]) - 500 :][:700],
        )
        assert "Hồ sơ mật về đê điều" not in text and "bản đồ đê điều" not in text
    _, _, body = server.get("/search/?q=")
    assert "Trung tâm Lưu trữ" not in body.decode()
    _, _, body = server.get("/progress/")
    progress = body.decode()
    # The secret document's unit is listed with nothing counted.
    unit_row = progress.split("Trung tâm Lưu trữ</th>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>([^<]*)</td>", unit_row) == ["0", "0", "0", "0", "0", "0"]
    _, _, body = server.get("/")
    assert "Hồ sơ mật" not in body.decode()


def _dashed(path):
    """Page ids come from SQLite as 32 hex digits; URLs carry dashed UUIDs."""
    return re.sub(
        r"\b([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})\b",
        r"\1-\2-\3-\4-\5",
        path,
    )


def _quote(text):
    from urllib.parse import quote_plus

    return quote_plus(text)
