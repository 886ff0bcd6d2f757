"""EAD 3 finding aid of one document, at file level.

The file-level fields of Vietnam's archival description that Disan keeps
are mapped as: file code and identifier to ``unitid``, title to
``unittitle``, dates as written and as years to ``unitdate``/``unitdatestructured``,
languages and scripts to ``langmaterial``, access level to ``accessrestrict``,
holding unit to ``repository``, page count to ``physdesc``.
"""

from lxml import etree

from disan.preservation.export.xml import child, local_time

EAD = "http://ead3.archivists.org/schema/"


def ead(document, created):
    """Return the ``ead`` element describing ``document`` as one file."""
    root = etree.Element(f"{{{EAD}}}ead", nsmap={None: EAD})
    control = child(root, f"{{{EAD}}}control")
    child(control, f"{{{EAD}}}recordid", document.identifier)
    titles = child(child(control, f"{{{EAD}}}filedesc"), f"{{{EAD}}}titlestmt")
    child(titles, f"{{{EAD}}}titleproper", document.title)
    child(control, f"{{{EAD}}}maintenancestatus", value="new")
    agency = child(control, f"{{{EAD}}}maintenanceagency")
    child(agency, f"{{{EAD}}}agencyname", _holder(document))
    history = child(control, f"{{{EAD}}}maintenancehistory")
    event = child(history, f"{{{EAD}}}maintenanceevent")
    child(event, f"{{{EAD}}}eventtype", value="created")
    child(
        event,
        f"{{{EAD}}}eventdatetime",
        local_time(created),
        standarddatetime=local_time(created),
    )
    child(event, f"{{{EAD}}}agenttype", value="machine")
    child(event, f"{{{EAD}}}agent", "Disan")

    description = child(root, f"{{{EAD}}}archdesc", level="file")
    did = child(description, f"{{{EAD}}}did")
    child(did, f"{{{EAD}}}unitid", document.identifier)
    child(did, f"{{{EAD}}}unittitle", document.title)
    if document.date_written:
        child(did, f"{{{EAD}}}unitdate", document.date_written)
    if document.year_start:
        span = child(did, f"{{{EAD}}}unitdatestructured")
        dates = child(span, f"{{{EAD}}}daterange")
        child(
            dates,
            f"{{{EAD}}}fromdate",
            document.year_start,
            standarddate=f"{document.year_start:04d}",
        )
        end = document.year_end or document.year_start
        child(dates, f"{{{EAD}}}todate", end, standarddate=f"{end:04d}")
    if document.languages or document.scripts:
        material = child(did, f"{{{EAD}}}langmaterial")
        for language in document.languages or []:
            child(material, f"{{{EAD}}}language", langcode=language)
        for script in document.scripts or []:
            child(material, f"{{{EAD}}}script", scriptcode=script)
    child(child(did, f"{{{EAD}}}repository"), f"{{{EAD}}}corpname")
    child(
        did.find(f"{{{EAD}}}repository/{{{EAD}}}corpname"),
        f"{{{EAD}}}part",
        _holder(document),
    )
    extent = child(
        child(
            did,
            f"{{{EAD}}}physdescstructured",
            physdescstructuredtype="materialtype",
            coverage="whole",
        ),
        f"{{{EAD}}}quantity",
        document.page_count,
    )
    extent.addnext(etree.Element(f"{{{EAD}}}unittype"))
    extent.getnext().text = "pages"
    access = child(description, f"{{{EAD}}}accessrestrict")
    child(access, f"{{{EAD}}}p", document.get_access_level_display())
    if document.description:
        child(
            child(description, f"{{{EAD}}}scopecontent"),
            f"{{{EAD}}}p",
            document.description,
        )
    return root


def _holder(document):
    return document.holding_unit.name if document.holding_unit else "Disan"
