"""The portal viewer in headless Chromium: tiles render, pages read right to left.

A small Hán book is ingested with the real ``disan ingest`` and served by
``disan serve``; Debian's chromium, driven by Playwright, opens its page.
"""

import io
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import SAMPLES, Server, query, run_disan

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ["page_001.jpg", "page_002.jpg", "page_003.jpg"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def served_book(tmp_path_factory):
    """Ingest three pages of Đại Nam nhất thống chí, with OCR, and serve them."""
    root = tmp_path_factory.mktemp("trình duyệt")
    home = root / "disan-data"
    book = root / "Đại Nam nhất thống chí"
    book.mkdir()
    for name in PAGES:
        shutil.copyfile(SAMPLES / "dai-nam-nhat-thong-chi" / name, book / name)
    metadata = {
        "identifier": "DNNTC-TRÌNH-DUYỆT",
        "title": "Đại Nam nhất thống chí, ba tờ đầu",
        "original_title": "大南一統志",
        "languages": ["lzh"],
        "scripts": ["Hani"],
        "access_level": "public",
        "reading_direction": "right-to-left",
    }
    (book / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False), encoding="utf-8"
    )
    run_disan(home, "ingest", str(book), "--json")
    [document] = query(
        home,
        "SELECT id, status FROM catalog_heritagedocument WHERE identifier = ?",
        ("DNNTC-TRÌNH-DUYỆT",),
    )
    assert document["status"] == "online"
    pages = query(
        home,
        "SELECT id, sequence, ocr_text FROM catalog_page WHERE document_id = ? "
        "ORDER BY sequence",
        (document["id"],),
    )
    server = Server(home)
    yield server, document, pages
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


def uuid_text(value):
    # SQLite keeps Django's UUIDs as 32 hex digits without dashes.
    text = str(value).replace("-", "")
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def wait_for_tiles(page):
    page.wait_for_function(
        "() => window.__disanTiles && window.__disanTiles.fullyLoaded"
        " && window.__disanTiles.loaded > 0",
        timeout=60_000,
    )
    return page.evaluate("() => Object.assign({}, window.__disanTiles)")


def test_viewer_renders_tiles_and_reads_right_to_left(served_book, browser):
    server, document, pages = served_book
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    # Open the document: the first page's tiles all arrive, none fail.
    page.goto(f"{server.base}/documents/{uuid_text(document['id'])}/")
    tiles = wait_for_tiles(page)
    assert tiles["failed"] == 0
    assert tiles["page"] == 0

    # The image really rendered: the viewer's pixels are not one colour.
    shot = Image.open(io.BytesIO(page.locator("#viewer").screenshot()))
    spread = ImageStat.Stat(shot.convert("L")).stddev[0]
    assert spread > 10, f"viewer screenshot looks blank (stddev {spread:.1f})"

    # Only the page shown was opened, not every page's image service.
    infos = [url for url in requests if url.endswith("/info.json")]
    assert infos == [
        f"{server.base}/iiif/3/images/{uuid_text(pages[0]['id'])}/info.json"
    ]

    # Right to left: page 1 sits right of page 2 in the strip, and "next"
    # is the left-hand link.
    first = page.locator('.thumbnail-strip a[data-page-number="1"]').bounding_box()
    second = page.locator('.thumbnail-strip a[data-page-number="2"]').bounding_box()
    assert first["x"] > second["x"]
    following = page.locator(".page-nav__next").first.bounding_box()
    preceding = page.locator(".page-nav__previous").first.bounding_box()
    assert following["x"] < preceding["x"]

    # The OCR text of the page shown sits beside the image.
    viewer_box = page.locator("#viewer").bounding_box()
    text_box = page.locator(".reader__text").bounding_box()
    assert text_box["x"] >= viewer_box["x"] + viewer_box["width"]
    panel = page.locator('.page-panel[data-page-number="1"]')
    expected = pages[0]["ocr_text"]
    assert expected, "OCR found no text on the first page"
    shown = panel.locator(".ocr-text").inner_text()
    assert unicodedata.normalize("NFC", shown).split() == expected.split()

    # The left arrow turns to the next page, whose tiles then load.
    page.locator("#viewer").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => window.__disanTiles.page === 1", timeout=30_000)
    tiles = wait_for_tiles(page)
    assert tiles["failed"] == 0
    assert page.url.endswith("?page=2")
    assert page.locator('.page-panel[data-page-number="2"]').is_visible()
    assert not panel.is_visible()
    context.close()
