"""Validation of a whole OCFL storage root by ocfl-py's validator.

ocfl-py reports findings as text lines carrying the specification's codes
(``[E040]`` for an error, ``[W004]`` for a warning); they are kept as they
are and only sorted into errors and warnings here.
"""

import re
from pathlib import Path

import ocfl
from ocfl.validator import Validator

from disan.preservation.storage.base import ValidationReport
from disan.preservation.storage.object_rules import check_object

# ocfl-py stops recording details after this many objects with findings.
# Limitation: a storage root with more broken objects than this reports only
# the first ones in detail; the count of invalid objects is always exact.
MAX_OBJECT_REPORTS = 10_000

_CODE = re.compile(r"^(?:\[\[[^\]]*\]\])?\[([EW])\d{3}")
_BARE_CODE = re.compile(r"^(?:\[\[[^\]]*\]\])?\[([EW]\d{3})")


def validate_storage_root(root, work_dir=None, *, check_digests=True):
    """Validate the storage root at ``root`` and every object under it.

    Return a :class:`ValidationReport`; ``valid`` is False when the root
    or any object has an error. Leftovers of interrupted writes in
    ``work_dir`` are reported as a warning: they are outside the storage
    root and do not make it invalid.
    """
    root = Path(root)
    if not (root.is_dir() and any(root.glob("0=ocfl_*"))):
        return ValidationReport(
            valid=False,
            errors=[
                f"{root} is not an OCFL storage root (no 0=ocfl_1.1 "
                "declaration); check DISAN_OCFL_ROOT. Disan creates the root "
                "when it stores the first document."
            ],
        )

    storage_root = ocfl.StorageRoot(root=str(root))
    root_valid = storage_root.validate(
        check_digests=check_digests,
        log_warnings=True,
        max_errors=MAX_OBJECT_REPORTS,
    )
    errors, warnings = [], []
    for message in storage_root.log.messages:
        _sort(message, errors, warnings)
    for _object_path, messages in storage_root.errors:
        for message in messages.splitlines():
            _sort(message, errors, warnings)

    # StorageRoot.validate() answers for the hierarchy only; an invalid
    # object shows in the counts.
    invalid_objects = storage_root.num_objects - storage_root.good_objects
    if invalid_objects and not errors:
        errors.append(
            f"{invalid_objects} of {storage_root.num_objects} OCFL objects are invalid."
        )

    if work_dir is not None:
        staging = Path(work_dir) / "staging"
        leftovers = sorted(staging.iterdir()) if staging.is_dir() else []
        if leftovers:
            warnings.append(
                f"{len(leftovers)} staging folder(s) in {staging} belong to a "
                "write in progress or an interrupted one; the next store of the "
                "same document removes them."
            )
    valid = root_valid and invalid_objects == 0 and not errors
    return ValidationReport(valid=valid, errors=errors, warnings=_collapse(warnings))


def validate_object(object_dir, *, check_digests=True):
    """Validate one OCFL object folder; return a :class:`ValidationReport`.

    ocfl-py judges the object; the rules of :mod:`object_rules` add the
    codes ocfl-py names differently, so a finding names the broken rule.
    Every message begins with its code in brackets, e.g. ``[E040]``.
    """
    validator = Validator(check_digests=check_digests, log_warnings=True)
    valid = validator.validate_object(str(object_dir))
    errors, warnings = [], []
    for message in validator.log.codes.values():
        _sort(message, errors, warnings)
    extra = [f"[{code}] {message}" for code, message in check_object(object_dir)]
    errors.extend(message for message in extra if message not in errors)
    return ValidationReport(valid=valid and not extra, errors=errors, warnings=warnings)


def finding_codes(messages):
    """Return the specification codes (E001, W004...) of report messages."""
    return {match.group(1) for m in messages if (match := _BARE_CODE.match(m))}


def _sort(message, errors, warnings):
    match = _CODE.match(message)
    if match:
        is_warning = match.group(1) == "W"
    else:
        is_warning = "warning" in message.split(":", 1)[0].lower()
    (warnings if is_warning else errors).append(message)


def _collapse(warnings):
    # Disan's objects carry the same SHOULD-level warnings by design (SHA-256
    # rather than SHA-512, catalog ids rather than URIs): keep the first of
    # each code and count the rest, so a large root gives a short report.
    first = {}
    counts = {}
    for message in warnings:
        match = _CODE.match(message)
        code = message[match.start(1) : match.end()] if match else message
        first.setdefault(code, message)
        counts[code] = counts.get(code, 0) + 1
    return [
        message if counts[code] == 1 else f"{message} ({counts[code]} times)"
        for code, message in first.items()
    ]
