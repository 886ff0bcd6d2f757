"""BagIt bags: validation beyond bagit-python, safe unzipping, transfers.

``validate_bag(folder)`` returns a :class:`BagReport` of every error and
warning; ``opened_bag(path)`` does the same for a folder or a zip file and
yields the bag folder to read the payload from.
"""

from disan.preservation.bagit.exceptions import BagInvalid, UnsafeArchive
from disan.preservation.bagit.findings import BagReport, Finding
from disan.preservation.bagit.transfer import is_bag, opened_bag, unpack_bag
from disan.preservation.bagit.unzip import is_zip, unpack_zip
from disan.preservation.bagit.validate import validate_bag

__all__ = [
    "BagInvalid",
    "BagReport",
    "Finding",
    "UnsafeArchive",
    "is_bag",
    "is_zip",
    "opened_bag",
    "unpack_bag",
    "unpack_zip",
    "validate_bag",
]
