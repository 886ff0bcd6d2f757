"""Write a page's OCR lines and words as ALTO 4 XML.

Manifests link it from each canvas as ``seeAlso``, so harvesters get the
text with its position on the image. Boxes are in pixels of the page as
shown, the same space as the canvas.
"""

import xml.etree.ElementTree as ET

from disan.core.text import nfc

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
ALTO_PROFILE = "http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
MEDIA_TYPE = "application/xml; charset=utf-8"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _tag(name):
    return f"{{{ALTO_NS}}}{name}"


def _box(element, bbox):
    x, y, w, h = (int(value) for value in bbox)
    element.set("HPOS", str(x))
    element.set("VPOS", str(y))
    element.set("WIDTH", str(w))
    element.set("HEIGHT", str(h))


def page_alto(page):
    """Return the ALTO 4 document of ``page`` as UTF-8 bytes.

    Limitation: Tesseract's blocks are not kept at ingest, so all lines sit
    in one TextBlock; it matters only to readers that lay out columns.
    """
    ET.register_namespace("", ALTO_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_tag("alto"))
    root.set(f"{{{_XSI}}}schemaLocation", f"{ALTO_NS} {ALTO_PROFILE}")

    # Description: units and the software that read the page.
    description = ET.SubElement(root, _tag("Description"))
    ET.SubElement(description, _tag("MeasurementUnit")).text = "pixel"
    source = ET.SubElement(description, _tag("sourceImageInformation"))
    ET.SubElement(source, _tag("fileName")).text = nfc(page.master_file.filename)
    if page.ocr_languages:
        processing = ET.SubElement(description, _tag("OCRProcessing"), ID="OCR_0")
        step = ET.SubElement(processing, _tag("ocrProcessingStep"))
        ET.SubElement(
            step, _tag("processingStepSettings")
        ).text = f"languages={page.ocr_languages}"
        software = ET.SubElement(step, _tag("processingSoftware"))
        ET.SubElement(software, _tag("softwareName")).text = "Tesseract"

    # Layout: one page, one print space covering it, the lines in order.
    layout = ET.SubElement(root, _tag("Layout"))
    alto_page = ET.SubElement(
        layout, _tag("Page"), ID="P1", PHYSICAL_IMG_NR=str(page.sequence)
    )
    alto_page.set("WIDTH", str(page.width))
    alto_page.set("HEIGHT", str(page.height))
    space = ET.SubElement(alto_page, _tag("PrintSpace"))
    _box(space, [0, 0, page.width, page.height])
    if page.ocr_lines:
        block = ET.SubElement(space, _tag("TextBlock"), ID="B1")
        _box(block, _union(line["bbox"] for line in page.ocr_lines))
        for number, line in enumerate(page.ocr_lines, start=1):
            _text_line(block, line, number)

    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text_line(block, line, number):
    element = ET.SubElement(block, _tag("TextLine"), ID=f"L{number}")
    _box(element, line["bbox"])
    text = nfc(line.get("text", ""))
    position = 0
    for index, word in enumerate(line.get("words", []), start=1):
        content = nfc(word["text"])
        # A space goes where the line's text has one: Vietnamese words are
        # spaced, Hán characters of one column are not.
        found = text.find(content, position)
        if index > 1 and found > position and text[position:found].isspace():
            ET.SubElement(element, _tag("SP"))
        if found >= 0:
            position = found + len(content)
        string = ET.SubElement(
            element, _tag("String"), ID=f"L{number}W{index}", CONTENT=content
        )
        _box(string, word["bbox"])
        confidence = word.get("conf")
        if confidence is not None and confidence >= 0:
            string.set("WC", f"{min(float(confidence), 100.0) / 100:.2f}")


def _union(boxes):
    boxes = list(boxes)
    left = min(box[0] for box in boxes)
    top = min(box[1] for box in boxes)
    right = max(box[0] + box[2] for box in boxes)
    bottom = max(box[1] + box[3] for box in boxes)
    return [left, top, right - left, bottom - top]
