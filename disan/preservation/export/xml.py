"""Shared helpers of the XML writers: namespaces, elements, local times."""

from zoneinfo import ZoneInfo

from lxml import etree

from disan.core.text import nfc

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"
# The department's time zone; every time in a package carries +07:00.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(moment):
    """Return ``moment`` in ISO 8601 with the +07:00 offset, to the second."""
    return moment.astimezone(LOCAL_ZONE).isoformat(timespec="seconds")


def child(parent, tag, text=None, **attributes):
    """Append an element with NFC text and attributes; return it."""
    element = etree.SubElement(
        parent, tag, {k: nfc(str(v)) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = nfc(str(text))
    return element


def write_xml(root, path):
    """Write the tree of ``root`` to ``path`` as UTF-8 with a declaration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(path), encoding="UTF-8", xml_declaration=True, pretty_print=True
    )
