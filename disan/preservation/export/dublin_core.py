"""Dublin Core (simple, DCMES 1.1) of a heritage document."""

from lxml import etree

from disan.preservation.export.xml import child

DC = "http://purl.org/dc/elements/1.1/"


def dublin_core(document):
    """Return the ``metadata`` element of simple Dublin Core for a document."""
    root = etree.Element("metadata", nsmap={"dc": DC})
    child(root, f"{{{DC}}}identifier", document.identifier)
    child(root, f"{{{DC}}}title", document.title)
    if document.original_title:
        child(root, f"{{{DC}}}title", document.original_title)
    if document.doc_type:
        child(root, f"{{{DC}}}type", document.doc_type)
    if document.date_written:
        child(root, f"{{{DC}}}date", document.date_written)
    for language in document.languages or []:
        child(root, f"{{{DC}}}language", language)
    if document.description:
        child(root, f"{{{DC}}}description", document.description)
    if document.holding_unit is not None:
        child(root, f"{{{DC}}}publisher", document.holding_unit.name)
    child(root, f"{{{DC}}}rights", document.get_access_level_display())
    child(root, f"{{{DC}}}format", f"{document.page_count} pages")
    return root
