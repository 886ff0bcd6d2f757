"""ALTO 4 of a page's OCR lines and words."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

NS = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}

VIETNAMESE_LINE = {
    "text": "Hà Nội   băm sáu",
    "bbox": [100, 50, 400, 40],
    "words": [
        {"text": "Hà", "bbox": [100, 50, 60, 40], "conf": 96.5},
        {"text": "Nội", "bbox": [170, 50, 80, 40], "conf": 91},
        {"text": "băm", "bbox": [300, 52, 90, 38], "conf": -1},
        {"text": "sáu", "bbox": [400, 52, 100, 38], "conf": 100},
    ],
}
# One vertical column of Hán text: no spaces between characters.
HAN_COLUMN = {
    "text": "大南一統志",
    "bbox": [900, 40, 60, 500],
    "words": [
        {"text": "大南", "bbox": [900, 40, 60, 200], "conf": 88},
        {"text": "一統志", "bbox": [900, 250, 60, 290], "conf": 80},
    ],
}


def alto(client, page):
    url = f"/iiif/3/documents/{page.document_id}/pages/{page.id}/alto"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response.content


def test_alto_of_vietnamese_and_han_lines(client, make_document, make_page):
    page = make_page(make_document(), sequence=3, ocr_text="Hà Nội băm sáu\n大南一統志")
    page.ocr_lines = [VIETNAMESE_LINE, HAN_COLUMN]
    page.ocr_languages = "vie+chi_tra_vert"
    page.save()
    body = alto(client, page)
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<alto ")
    root = ET.fromstring(body)

    assert root.find("a:Description/a:MeasurementUnit", NS).text == "pixel"
    assert root.find("a:Description/a:sourceImageInformation/a:fileName", NS).text == (
        "trang_003.jpg"
    )
    settings_text = root.find(".//a:processingStepSettings", NS).text
    assert settings_text == "languages=vie+chi_tra_vert"
    alto_page = root.find("a:Layout/a:Page", NS)
    assert alto_page.attrib == {
        "ID": "P1",
        "PHYSICAL_IMG_NR": "3",
        "WIDTH": "1000",
        "HEIGHT": "700",
    }
    block = alto_page.find("a:PrintSpace/a:TextBlock", NS)
    assert [block.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == [
        "100",
        "40",
        "860",
        "500",
    ]
    first, second = block.findall("a:TextLine", NS)
    assert [child.tag.split("}")[1] for child in first] == [
        "String",
        "SP",
        "String",
        "SP",
        "String",
        "SP",
        "String",
    ]
    strings = first.findall("a:String", NS)
    assert [(s.get("CONTENT"), s.get("WC")) for s in strings] == [
        ("Hà", "0.96"),
        ("Nội", "0.91"),
        ("băm", None),
        ("sáu", "1.00"),
    ]
    assert strings[1].attrib["HPOS"] == "170"
    assert [child.tag.split("}")[1] for child in second] == ["String", "String"]
    assert [s.get("CONTENT") for s in second] == ["大南", "一統志"]


def test_alto_of_a_page_without_text_has_an_empty_print_space(
    client, make_document, make_page
):
    page = make_page(make_document())
    root = ET.fromstring(alto(client, page))
    space = root.find("a:Layout/a:Page/a:PrintSpace", NS)
    assert list(space) == []
    assert root.find(".//a:OCRProcessing", NS) is None


def test_alto_text_is_nfc(client, make_document, make_page):
    decomposed = "Hà Nội".replace("à", "a\u0300").replace("ộ", "o\u0323\u0302")
    page = make_page(make_document(), ocr_text=decomposed)
    page.ocr_lines = [
        {
            "text": decomposed,
            "bbox": [0, 0, 10, 10],
            "words": [{"text": decomposed, "bbox": [0, 0, 10, 10], "conf": 50}],
        }
    ]
    page.save()
    root = ET.fromstring(alto(client, page))
    assert root.find(".//a:String", NS).get("CONTENT") == "Hà Nội"
