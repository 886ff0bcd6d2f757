"""METS in the shape of the E-ARK CSIP: metadata, files and one structure map."""

import uuid
from urllib.parse import quote

from lxml import etree

from disan.preservation.export.xml import XLINK, XSI, child, local_time

METS = "http://www.loc.gov/METS/"
_M = f"{{{METS}}}"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"


def mets(document, created, *, metadata, files, label):
    """Return the ``mets`` element of a package or a representation.

    ``metadata`` is a list of (relative path, sha256, size, kind) where kind
    is "dmd" (descriptive) or "digiprov" (preservation); ``files`` a list of
    (relative path, sha256, size, mime type). Paths are relative to the
    folder the METS file lies in.
    """
    root = etree.Element(
        f"{_M}mets",
        {
            "OBJID": document.identifier,
            "LABEL": label,
            "TYPE": "Mixed",
            "PROFILE": CSIP_PROFILE,
        },
        nsmap={"mets": METS, "xlink": XLINK, "xsi": XSI},
    )
    header = child(
        root, f"{_M}metsHdr", CREATEDATE=local_time(created), RECORDSTATUS="NEW"
    )
    agent = child(
        header, f"{_M}agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    child(agent, f"{_M}name", "Disan")

    dmd_ids, digiprov_ids = [], []
    amd = None
    for path, sha256, size, kind in metadata:
        identifier = f"ID{uuid.uuid4()}"
        if kind == "dmd":
            section = child(
                root, f"{_M}dmdSec", ID=identifier, CREATED=local_time(created)
            )
            dmd_ids.append(identifier)
        else:
            if amd is None:
                amd = child(root, f"{_M}amdSec")
            section = child(amd, f"{_M}digiprovMD", ID=identifier)
            digiprov_ids.append(identifier)
        _md_ref(section, path, sha256, size)

    file_sec = child(root, f"{_M}fileSec", ID=f"ID{uuid.uuid4()}")
    group = child(
        file_sec, f"{_M}fileGrp", USE="Representations/rep1", ID=f"ID{uuid.uuid4()}"
    )
    file_ids = []
    for path, sha256, size, mime in files:
        identifier = f"ID{uuid.uuid4()}"
        file_ids.append(identifier)
        item = child(
            group,
            f"{_M}file",
            ID=identifier,
            MIMETYPE=mime,
            SIZE=size,
            CREATED=local_time(created),
            CHECKSUM=sha256,
            CHECKSUMTYPE="SHA-256",
        )
        child(
            item,
            f"{_M}FLocat",
            LOCTYPE="URL",
            **{f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": quote(path)},
        )

    struct = child(root, f"{_M}structMap", TYPE="PHYSICAL", LABEL="CSIP")
    top = child(struct, f"{_M}div", LABEL=document.identifier, ID=f"ID{uuid.uuid4()}")
    if dmd_ids:
        top.set("DMDID", " ".join(dmd_ids))
    if digiprov_ids:
        top.set("ADMID", " ".join(digiprov_ids))
    pages = child(top, f"{_M}div", LABEL="Representations/rep1", ID=f"ID{uuid.uuid4()}")
    for identifier in file_ids:
        child(pages, f"{_M}fptr", FILEID=identifier)
    return root


def _md_ref(section, path, sha256, size):
    child(
        section,
        f"{_M}mdRef",
        LOCTYPE="URL",
        MDTYPE=_md_type(path),
        MIMETYPE="text/xml",
        SIZE=size,
        CHECKSUM=sha256,
        CHECKSUMTYPE="SHA-256",
        **{f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": quote(path)},
    )


def _md_type(path):
    names = {"dc.xml": "DC", "premis.xml": "PREMIS", "ead.xml": "EAD"}
    return names.get(path.rsplit("/", 1)[-1], "OTHER")
