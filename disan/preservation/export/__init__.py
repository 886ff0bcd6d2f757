"""Archival packages out: BagIt and E-ARK CSIP with METS, PREMIS, DC and EAD."""

from disan.preservation.export.exceptions import DocumentNotFound, ExportError
from disan.preservation.export.package import FORMATS, export_package

__all__ = ["FORMATS", "DocumentNotFound", "ExportError", "export_package"]
