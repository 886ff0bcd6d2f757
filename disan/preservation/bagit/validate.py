"""Validate a BagIt bag on disk, collecting every problem and warning.

bagit-python reads the bag: its declaration, tag files in their declared
encoding, manifests with escaped names, fetch.txt. It stops at the first
error, though, and judges some cases the BagIt RFC (8493) and the Library
of Congress conformance suite judge otherwise, so the checks themselves run
here, one phase at a time, each adding findings to one report:

- the declaration ``bagit.txt`` must be exactly ``Label: value`` lines, with
  no space before the colon and no byte-order mark (bagit-python accepts
  ``BagIt-Version : 1.0``);
- a name listed twice in one form of Unicode normalization or letter case,
  with equal digests, is a warning, not a missing file (on a case- or
  normalization-insensitive file system both names are one file);
- manifests written by ``md5sum``-style tools (``*`` before the path) and
  paths beginning ``./`` are accepted with a warning;
- payload files that operating systems make by themselves (``Thumbs.db``,
  ``.DS_Store``) are warned about, and one listed but gone is a warning;
- a fetch.txt target must be a relative path inside ``data/``;
- a manifest line must begin with a digest of its algorithm's length, and
  a payload manifest's path must lie inside ``data/`` (bagit-python takes
  any first word for the digest, and any other path for a tag file).
"""

import codecs
import hashlib
import logging
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import bagit

from disan.preservation.bagit.findings import BagReport

logger = logging.getLogger(__name__)

DECLARATION = "bagit.txt"
PAYLOAD_DIR = "data"
_DECLARATION_LINE = re.compile(
    r"^(BagIt-Version|Tag-File-Character-Encoding): (\S(?:.*\S)?)$"
)
# Files that file managers and operating systems leave in folders.
SYSTEM_FILES = {".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"}
CHUNK_BYTES = 1024 * 1024


def validate_bag(path):
    """Validate the bag in the folder ``path`` and return a BagReport.

    Nothing is raised for a bad bag: every finding is in the report, and
    ``report.valid`` says whether the bag may be trusted. Trade-off: digests
    are computed in this process, one file after another; bags of many large
    files validate at disk speed of one reader. Revisit if bags grow past
    what one core hashes in acceptable time.
    """
    root = Path(path)
    report = BagReport(path=str(root))
    if not root.is_dir():
        if root.is_file() and root.suffix.casefold() == ".zip":
            # A zip archive is unpacked before it gets here; this one is not.
            report.error(
                "not_a_zip",
                "is not a zip archive (it does not begin like one); make the "
                "zip again, or give the bag's folder.",
                str(root),
            )
            return report
        what = "does not exist"
        if root.exists():
            what = "is neither a folder nor a zip archive"
        report.error(
            "not_a_bag",
            f"{what}; give the bag's folder or a .zip holding one.",
            str(root),
        )
        return report

    # The declaration first: without it nothing else can be read.
    if not _check_declaration(root, report):
        return report
    if not (root / PAYLOAD_DIR).is_dir():
        report.error(
            "missing_payload",
            "has no data/ folder; a bag keeps its payload in data/.",
            str(root),
        )
        return report

    # bagit-python parses tag files and manifests; its errors end here.
    bag = _open(root, report)
    if bag is None:
        return report
    report.version = ".".join(str(part) for part in bag.version_info)

    malformed = _check_manifest_lines(bag, report)
    fetched = _check_fetch(bag, report)
    present = _check_completeness(bag, report, fetched)
    _check_oxum(bag, report)
    _check_fixity(bag, report, present, malformed)
    report.payload = sorted(present)
    if report.valid:
        logger.info("Bag %s is valid (%d payload files)", root, len(present))
    return report


def _check_declaration(root, report):
    path = root / DECLARATION
    if not path.is_file():
        report.error(
            "missing_declaration",
            "bagit.txt is missing; every bag starts with this declaration.",
            str(path),
        )
        return False
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        report.error(
            "declaration_bom",
            "bagit.txt begins with a byte-order mark, which BagIt forbids; "
            "save it as UTF-8 without BOM.",
            DECLARATION,
        )
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        report.error(
            "declaration_encoding",
            "bagit.txt is not UTF-8; write it in UTF-8.",
            DECLARATION,
        )
        return False
    labels = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DECLARATION_LINE.match(line)
        if match is None:
            report.error(
                "declaration_format",
                f"line {number} {line!r} is not 'BagIt-Version: M.N' or "
                "'Tag-File-Character-Encoding: ENCODING' (no space before "
                "the colon, one after it).",
                DECLARATION,
            )
        else:
            labels.append(match.group(1))
    if labels[:2] != ["BagIt-Version", "Tag-File-Character-Encoding"]:
        report.error(
            "declaration_format",
            "must hold BagIt-Version, then Tag-File-Character-Encoding.",
            DECLARATION,
        )
    return True


def _open(root, report):
    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as err:
        report.error("unreadable", _message(err), str(root))
        return None
    except (OSError, UnicodeError, LookupError) as err:
        report.error("unreadable", f"cannot be read ({err}).", str(root))
        return None
    if not list(bag.manifest_files()):
        report.error(
            "missing_manifest",
            "has no payload manifest (manifest-ALGORITHM.txt).",
            str(root),
        )
    return bag


def _message(err):
    text = str(err) or getattr(err, "message", "") or type(err).__name__
    return text


def _check_manifest_lines(bag, report):
    """Report malformed and doubtful manifest lines; return the paths of
    malformed ones, already reported, which the later phases leave alone."""
    # bagit-python strips "*" and "./" silently and warns of duplicates in
    # its log only; it takes a line's first word for the digest whatever it
    # is, and a payload manifest's line for a tag file when its path is
    # outside data/. Report all of them.
    malformed = set()
    payload = set(bag.manifest_files())
    manifests = list(bag.manifest_files()) + list(bag.tagmanifest_files())
    for manifest in manifests:
        name = os.path.basename(manifest)
        algorithm = name.split("-", 1)[1].removesuffix(".txt")
        digits = _hex_digits(algorithm)
        seen = {}
        with open(manifest, encoding=bag.encoding, errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                line = line.strip().lstrip("\ufeff")
                if not line or line.startswith("#"):
                    continue
                parts = line.split(None, 1)
                if len(parts) != 2:
                    report.error(
                        "manifest_line",
                        f"line {number} {line!r} is not a digest, whitespace "
                        "and a path.",
                        name,
                    )
                    continue
                digest, listed = parts
                key = os.path.normpath(listed.lstrip("*"))
                if digits and not re.fullmatch(f"[0-9a-fA-F]{{{digits}}}", digest):
                    report.error(
                        "manifest_line",
                        f"line {number} {line!r} does not begin with a "
                        f"{algorithm} digest ({digits} hexadecimal digits) "
                        "followed by whitespace and a path.",
                        name,
                    )
                    malformed.add(key)
                    continue
                if manifest in payload and not key.startswith(PAYLOAD_DIR + os.sep):
                    report.error(
                        "manifest_line",
                        f"line {number} lists {listed!r}, which is outside "
                        f"{PAYLOAD_DIR}/; a payload manifest lists only payload "
                        "files.",
                        name,
                    )
                    malformed.add(key)
                    continue
                _check_listed_path(listed, name, report)
                if key in seen and seen[key] == digest.lower():
                    report.warn(
                        "duplicate_entry",
                        f"lists {key} twice with the same digest.",
                        name,
                    )
                seen[key] = digest.lower()
    return malformed


def _hex_digits(algorithm):
    """Return how many hexadecimal digits a digest of ``algorithm`` has, or 0."""
    try:
        return hashlib.new(algorithm).digest_size * 2
    except (ValueError, TypeError):
        return 0


def _check_listed_path(listed, manifest_name, report):
    if listed.startswith("*"):
        report.warn(
            "binary_marker",
            f"{listed} carries the '*' of md5sum-style tools before its path; "
            "BagIt manifests list the bare path.",
            manifest_name,
        )
    if listed.lstrip("*").startswith("./"):
        report.warn(
            "relative_path",
            f"{listed} begins with './'; BagIt paths are relative to the bag "
            "without it.",
            manifest_name,
        )


def _check_fetch(bag, report):
    """Return the payload paths fetch.txt names."""
    fetched = set()
    try:
        entries = list(bag.fetch_entries())
    except bagit.BagError as err:
        report.error("fetch_unsafe", _message(err), "fetch.txt")
        return fetched
    for url, _size, filename in entries:
        parsed = urlparse(url)
        if not (all((parsed.scheme, parsed.netloc)) or parsed.scheme == "file"):
            report.error("fetch_url", f"{url!r} is not a usable URL.", "fetch.txt")
        if (
            not filename.startswith(PAYLOAD_DIR + "/")
            or "\\" in filename
            or re.match(r"^[A-Za-z]:", filename)
            or ".." in filename.split("/")
        ):
            report.error(
                "fetch_path",
                f"{filename!r} is not a relative path inside data/; fetch.txt "
                "may only fill the payload.",
                "fetch.txt",
            )
            continue
        fetched.add(_nfc(filename))
    return fetched


def _check_completeness(bag, report, fetched):
    """Compare manifests with the payload; return the payload files found."""
    names = _names_by_form(bag.entries)
    present = {_nfc(name) for name in bag.payload_files()}
    missing, unexpected = bag.compare_manifests_with_fs()

    for listed in sorted(m for m in missing if m.startswith(PAYLOAD_DIR + os.sep)):
        variants = names[_fold(listed)]
        twin = next(
            (v for v in variants if v != listed and _nfc(v) in present),
            None,
        )
        if _nfc(listed) in fetched:
            report.warn(
                "fetch_pending",
                "is listed in fetch.txt and not fetched yet.",
                listed,
            )
        elif twin is not None and bag.entries[twin] == bag.entries[listed]:
            continue  # reported below as a name variant
        elif os.path.basename(listed).casefold() in SYSTEM_FILES:
            report.warn(
                "system_file_missing",
                "is an operating-system file listed in the manifest but gone; "
                "tools drop such files when copying.",
                listed,
            )
        else:
            report.error(
                "missing_file",
                "is listed in the manifest but not in the bag.",
                listed,
            )
    for extra in sorted(unexpected):
        report.error(
            "unexpected_file",
            "is in the payload but in no manifest; add it or remove it.",
            extra,
        )

    _check_name_variants(bag, report, names)
    _check_every_manifest(bag, report, present)
    for name in sorted(present):
        if os.path.basename(name).casefold() in SYSTEM_FILES:
            report.warn(
                "system_file",
                "is a file an operating system makes by itself, not payload.",
                name,
            )
    return present


def _names_by_form(entries):
    names = defaultdict(list)
    for name in entries:
        names[_fold(name)].append(name)
    return names


def _check_name_variants(bag, report, names):
    for variants in names.values():
        if len(variants) < 2:
            continue
        digests = {frozenset(bag.entries[v].items()) for v in variants}
        forms = ", ".join(sorted(repr(v) for v in variants))
        if len(digests) > 1:
            report.error(
                "name_conflict",
                f"{forms} differ only in letter case or Unicode normalization "
                "and have different digests; rename one.",
                variants[0],
            )
        elif len({_nfc(v) for v in variants}) == 1:
            report.warn(
                "normalization_duplicate",
                f"{forms} are one name in different Unicode normalization forms.",
                variants[0],
            )
        else:
            report.warn(
                "case_duplicate",
                f"{forms} differ only in letter case; they collide on "
                "case-insensitive file systems.",
                variants[0],
            )


def _check_every_manifest(bag, report, present):
    # RFC 8493 2.1.3: every payload manifest lists every payload file.
    algorithms = [
        os.path.basename(m)[len("manifest-") : -len(".txt")]
        for m in bag.manifest_files()
    ]
    listed = defaultdict(set)
    for name, hashes in bag.entries.items():
        for algorithm in hashes:
            listed[algorithm].add(_nfc(name))
    for algorithm in algorithms:
        for name in sorted(present - listed[algorithm]):
            if any(name in listed[other] for other in algorithms):
                report.error(
                    "manifest_incomplete",
                    f"is not listed in manifest-{algorithm}.txt; every payload "
                    "manifest must list every payload file.",
                    name,
                )


def _check_oxum(bag, report):
    oxum = bag.info.get("Payload-Oxum")
    if oxum is None:
        return
    if isinstance(oxum, list):
        report.warn("oxum_repeated", "bag-info.txt gives Payload-Oxum twice.")
        oxum = oxum[0]
    octets, _dot, count = oxum.partition(".")
    if not (octets.isdigit() and count.isdigit()):
        report.error(
            "oxum_format", f"Payload-Oxum {oxum!r} is not OCTETS.COUNT.", "bag-info.txt"
        )
        return
    sizes = [
        os.stat(os.path.join(bag.path, name)).st_size for name in bag.payload_files()
    ]
    if (int(octets), int(count)) == (sum(sizes), len(sizes)):
        return
    # Files a copy dropped by itself (.DS_Store) also leave the Oxum behind.
    dropped = sum(1 for f in report.warnings if f.code == "system_file_missing")
    if dropped and int(count) == len(sizes) + dropped:
        report.warn(
            "oxum_mismatch",
            f"Payload-Oxum {oxum} counts {dropped} operating-system file(s) "
            "that are gone.",
            "bag-info.txt",
        )
    else:
        report.error(
            "oxum_mismatch",
            f"Payload-Oxum {oxum} does not match the payload "
            f"({sum(sizes)} bytes in {len(sizes)} files).",
            "bag-info.txt",
        )


def _check_fixity(bag, report, present, malformed):
    root = Path(bag.path)
    on_disk = {_nfc(name): name for name in bag.payload_files()}
    for name, hashes in sorted(bag.entries.items()):
        if name in malformed:
            continue  # its manifest line is reported already
        if name.startswith(PAYLOAD_DIR + os.sep):
            actual = on_disk.get(_nfc(name))
            if actual is None:
                continue  # judged by the completeness phase
        else:
            actual = name
            if not (root / actual).is_file():
                report.error(
                    "missing_tag_file",
                    "is listed in a tag manifest but not in the bag.",
                    name,
                )
                continue
        _check_digests(root / actual, name, hashes, report)


def _check_digests(path, name, hashes, report):
    hashers = {}
    for algorithm in hashes:
        try:
            hashers[algorithm] = hashlib.new(algorithm)
        except ValueError:
            report.error(
                "unsupported_algorithm",
                f"digest algorithm {algorithm!r} is not known.",
                name,
            )
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                for hasher in hashers.values():
                    hasher.update(chunk)
    except OSError as err:
        report.error("unreadable_file", f"cannot be read ({err.strerror}).", name)
        return
    for algorithm, hasher in hashers.items():
        expected = hashes[algorithm].lower()
        if hasher.hexdigest() != expected:
            report.error(
                "checksum_mismatch",
                f"{algorithm} is {hasher.hexdigest()}, the manifest says {expected}.",
                name,
            )


def _nfc(name):
    return unicodedata.normalize("NFC", name)


def _fold(name):
    return _nfc(name).casefold()
