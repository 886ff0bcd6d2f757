"""PREMIS 3.0: the masters as file objects, their events and agents."""

from lxml import etree

from disan.preservation.export.xml import XSI, child, local_time

PREMIS = "http://www.loc.gov/premis/v3"
_P = f"{{{PREMIS}}}"
DISAN_AGENT_TYPE = "software"


def premis(document, masters, events):
    """Return the ``premis`` element for a document.

    ``masters`` is a list of (logical path, FileEntry, MasterFile or None);
    ``events`` the document's PreservationEvent rows, oldest first.
    """
    root = etree.Element(
        f"{_P}premis",
        {"version": "3.0"},
        nsmap={"premis": PREMIS, "xsi": XSI},
    )
    for logical_path, entry, master in masters:
        _file_object(root, document, logical_path, entry, master)
    agents = {}
    for event in events:
        _event(root, document, event)
        agents.setdefault(event.agent, None)
    for name in agents:
        agent = child(root, f"{_P}agent")
        identifier = child(agent, f"{_P}agentIdentifier")
        child(identifier, f"{_P}agentIdentifierType", "local")
        child(identifier, f"{_P}agentIdentifierValue", name)
        child(agent, f"{_P}agentName", name)
        child(agent, f"{_P}agentType", DISAN_AGENT_TYPE)
    return root


def object_id(document, logical_path):
    """Return the PREMIS identifier of a master: the OCFL object and path."""
    return f"{document.ocfl_object_id or document.identifier}/{logical_path}"


def _file_object(root, document, logical_path, entry, master):
    element = child(root, f"{_P}object", **{f"{{{XSI}}}type": "premis:file"})
    identifier = child(element, f"{_P}objectIdentifier")
    child(identifier, f"{_P}objectIdentifierType", "local")
    child(identifier, f"{_P}objectIdentifierValue", object_id(document, logical_path))
    characteristics = child(element, f"{_P}objectCharacteristics")
    fixity = child(characteristics, f"{_P}fixity")
    child(fixity, f"{_P}messageDigestAlgorithm", "SHA-256")
    child(fixity, f"{_P}messageDigest", entry.sha256)
    child(fixity, f"{_P}messageDigestOriginator", "Disan")
    child(characteristics, f"{_P}size", entry.size)
    file_format = child(characteristics, f"{_P}format")
    designation = child(file_format, f"{_P}formatDesignation")
    child(designation, f"{_P}formatName", master.format_name if master else "unknown")
    if master is not None and master.puid:
        registry = child(file_format, f"{_P}formatRegistry")
        child(registry, f"{_P}formatRegistryName", "PRONOM")
        child(registry, f"{_P}formatRegistryKey", master.puid)
    child(element, f"{_P}originalName", master.filename if master else logical_path)


def _event(root, document, event):
    element = child(root, f"{_P}event")
    identifier = child(element, f"{_P}eventIdentifier")
    child(identifier, f"{_P}eventIdentifierType", "UUID")
    child(identifier, f"{_P}eventIdentifierValue", event.id)
    child(element, f"{_P}eventType", event.event_type)
    child(element, f"{_P}eventDateTime", local_time(event.datetime))
    if event.detail:
        information = child(element, f"{_P}eventDetailInformation")
        child(information, f"{_P}eventDetail", event.detail)
    outcome = child(element, f"{_P}eventOutcomeInformation")
    child(outcome, f"{_P}eventOutcome", event.outcome)
    agent = child(element, f"{_P}linkingAgentIdentifier")
    child(agent, f"{_P}linkingAgentIdentifierType", "local")
    child(agent, f"{_P}linkingAgentIdentifierValue", event.agent)
    linked = child(element, f"{_P}linkingObjectIdentifier")
    child(linked, f"{_P}linkingObjectIdentifierType", "local")
    target = (
        object_id(document, event.file_path)
        if event.file_path
        else document.ocfl_object_id or document.identifier
    )
    child(linked, f"{_P}linkingObjectIdentifierValue", target)
