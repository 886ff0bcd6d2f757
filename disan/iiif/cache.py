"""Caches of the IIIF image service: renderings on disk, page rows in memory.

The tile cache keeps each rendering as one file under
``DISAN_HOME/cache/iiif``, named by a key made from the image id, the
canonical request and the identity of the pyramid file, so a rewritten
pyramid never serves old renderings. Several web processes share it: files
are written under a temporary name and renamed into place, and a process
that has written enough since its last look sweeps the folder, removing the
least recently used files until the total is under
``DISAN_IIIF_CACHE_BYTES``.

The page cache keeps, per web process and for ``DISAN_IIIF_LOOKUP_SECONDS``,
the page row with its document, so a tile costs no join and no ``stat``.
What access depends on — the document's access level and status — is read
again on every request with one indexed query (:func:`current_document`),
and :mod:`disan.access.policy` decides from that; a document restricted in
any process is never served again.
"""

import copy
import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404

from disan.catalog.models import HeritageDocument, Page
from disan.iiif import images
from disan.iiif.lookups import NOT_FOUND, check_access, find_page

logger = logging.getLogger(__name__)

# Part of every key: change it when the renderer's output changes, so old
# renderings are not served as new ones.
RENDERER_VERSION = "2"

# A hit refreshes a file's time only when it is older than this, so reads
# do not each cost a metadata write.
_TOUCH_AFTER_SECONDS = 60

# Temporary files older than this were left by a process that died.
_STALE_PART_SECONDS = 3600

# A sweep empties the cache down to this share of its bound, so the next
# sweep is some way off.
_LOW_WATER = 0.9

# A process sweeps after writing this share of the bound since its last
# sweep.
_SWEEP_SHARE = 16

_PART_PREFIX = ".part-"


def cache_key(image_id, canonical, pyramid_identity):
    """Return the hex key of one rendering of one pyramid file version."""
    seed = "|".join(
        [RENDERER_VERSION, str(image_id), canonical, *map(str, pyramid_identity)]
    )
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SweepResult:
    """What one sweep found and removed."""

    files: int
    bytes: int
    evicted_files: int
    evicted_bytes: int


class TileCache:
    """Renderings on disk, bounded in size, least recently used out first."""

    def __init__(self, root, max_bytes):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._written_since_sweep = 0
        self._lock = threading.Lock()

    @property
    def enabled(self):
        return self.max_bytes > 0

    def path(self, key, suffix):
        """Return where the rendering ``key`` with extension ``suffix`` lives."""
        return self.root / key[:2] / f"{key}.{suffix}"

    def open(self, key, suffix):
        """Return the cached rendering opened for reading, or ``None``.

        The open file stays readable even if a sweep removes its name
        meanwhile.
        """
        if not self.enabled:
            return None
        try:
            handle = open(self.path(key, suffix), "rb")  # noqa: SIM115
        except FileNotFoundError:
            return None
        try:
            stat = os.fstat(handle.fileno())
            if time.time() - stat.st_mtime > _TOUCH_AFTER_SECONDS:
                os.utime(handle.fileno())
        except OSError:
            logger.warning("Could not refresh cached rendering %s", key)
        return handle

    def store(self, key, suffix, body):
        """Keep ``body`` as the rendering ``key``; return whether it was kept."""
        if not self.enabled or len(body) > self.max_bytes // _SWEEP_SHARE:
            return False
        dest = self.path(key, suffix)
        dest.parent.mkdir(parents=True, exist_ok=True)

        # Written aside and renamed: a reader sees the whole file or none.
        fd, part = tempfile.mkstemp(prefix=_PART_PREFIX, dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(part, dest)
        except OSError:
            logger.warning("Could not cache rendering %s under %s", key, self.root)
            Path(part).unlink(missing_ok=True)
            return False

        with self._lock:
            self._written_since_sweep += len(body)
            due = self._written_since_sweep >= self.max_bytes // _SWEEP_SHARE
            if due:
                self._written_since_sweep = 0
        if due:
            self.sweep()
        return True

    def sweep(self):
        """Remove the least recently used renderings beyond the bound.

        Returns ``None`` when another process is sweeping already.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".sweep.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            entries = self._entries()
            total = sum(size for _, size, _ in entries)
            evicted_files = evicted_bytes = 0
            if total > self.max_bytes:
                target = int(self.max_bytes * _LOW_WATER)
                for _, size, path in sorted(entries, key=lambda entry: entry[0]):
                    if total - evicted_bytes <= target:
                        break
                    path.unlink(missing_ok=True)
                    evicted_files += 1
                    evicted_bytes += size
        result = SweepResult(len(entries), total, evicted_files, evicted_bytes)
        if evicted_files:
            logger.info(
                "IIIF cache %s: removed %d renderings (%d bytes) of %d (%d bytes)",
                self.root,
                evicted_files,
                evicted_bytes,
                result.files,
                result.bytes,
            )
        return result

    def _entries(self):
        """Return ``(mtime, size, path)`` of every rendering; drop dead parts."""
        entries = []
        now = time.time()
        for folder in os.scandir(self.root):
            if not folder.is_dir(follow_symlinks=False):
                continue
            for item in os.scandir(folder.path):
                try:
                    stat = item.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if item.name.startswith(_PART_PREFIX):
                    if now - stat.st_mtime > _STALE_PART_SECONDS:
                        Path(item.path).unlink(missing_ok=True)
                    continue
                entries.append((stat.st_mtime, stat.st_size, Path(item.path)))
        return entries

    def clear(self):
        """Remove every cached rendering."""
        shutil.rmtree(self.root, ignore_errors=True)


_caches = {}
_caches_lock = threading.Lock()


def tile_cache():
    """Return the process's tile cache for the current settings."""
    root = Path(settings.DISAN_HOME) / "cache" / "iiif"
    bound = settings.DISAN_IIIF_CACHE_BYTES
    with _caches_lock:
        cache = _caches.get((root, bound))
        if cache is None:
            cache = _caches[(root, bound)] = TileCache(root, bound)
    return cache


# --- pages --------------------------------------------------------------

# Rows kept at most; beyond it the page cache starts again from empty.
_MAX_PAGES = 4096

_pages = {}
_identities = {}


def viewable_page(user, image_id):
    """Return page ``image_id`` if its document is online and ``user`` may see it.

    The row may come from the page cache, but the access decision is made
    by :func:`disan.iiif.lookups.check_access` on every call, which raises
    as it does.
    """
    page = _cached_page(image_id)
    check_access(user, current_document(page), image_id)
    return page


_ACCESS_SQL = "SELECT access_level, status FROM {table} WHERE {pk} = %s"


def current_document(page):
    """Return ``page``'s document with its access level and status read now.

    The cached row is shared by the threads of a process, so it is copied,
    never changed in place.
    """
    # One indexed lookup by primary key, without the ORM's per-query cost:
    # it runs for every tile.
    meta = HeritageDocument._meta
    key = meta.pk.get_db_prep_value(page.document_id, connection)
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        sql = _ACCESS_SQL.format(table=quote(meta.db_table), pk=quote(meta.pk.column))
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        raise Http404(NOT_FOUND)
    document = copy.copy(page.document)
    document.access_level, document.status = row
    return document


def fresh_page(image_id):
    """Return the cached row of page ``image_id`` if still fresh, else ``None``.

    Never queries the database; the caller decides access itself.
    """
    entry = _pages.get(image_id)
    if entry is not None and time.monotonic() - entry[0] < (
        settings.DISAN_IIIF_LOOKUP_SECONDS
    ):
        return entry[1]
    return None


# What an image request reads of a page and its document. Both models are
# wide (the document has some fifty fields, several of them JSON), and
# reading every field took a page's first request of a process 0.8-1.8 ms,
# against 0.45 ms for these; any other field is read if it is ever used.
PAGE_FIELDS = (
    "id",
    "document_id",
    "pyramid_path",
    "width",
    "height",
    "document__id",
    "document__access_level",
    "document__status",
)


def _cached_page(image_id):
    ttl = settings.DISAN_IIIF_LOOKUP_SECONDS
    now = time.monotonic()
    page = fresh_page(image_id)
    if page is not None:
        return page
    page = find_page(image_id, fields=PAGE_FIELDS)
    if ttl > 0:
        if len(_pages) >= _MAX_PAGES:
            _pages.clear()
        _pages[image_id] = (now, page)
    return page


@dataclass(frozen=True)
class Rendering:
    """One image request of a page, with where its rendering is kept."""

    request: object
    path: Path
    key: str

    @property
    def etag(self):
        return f'"{self.key[:32]}"'


def rendering(page, region, size, rotation, quality_format):
    """Parse an image request for ``page`` and name its cached rendering.

    Raises ``InvalidRequest`` and ``PyramidMissing`` as the parser and
    :func:`pyramid_identity` do. Access must have been decided already.
    """
    from disan.iiif.info import MAX_AREA
    from disan.iiif.parameters import parse_image_request

    request = parse_image_request(
        region,
        size,
        rotation,
        quality_format,
        width=page.width,
        height=page.height,
        max_area=MAX_AREA,
    )
    path, identity = pyramid_identity(page)
    return Rendering(request, path, cache_key(page.id, request.canonical(), identity))


def pyramid_identity(page):
    """Return ``(path, (mtime_ns, size))`` of ``page``'s pyramidal TIFF.

    Cached like the page row, so a tile costs no ``stat`` either. Raises
    ``PyramidMissing`` as :func:`disan.iiif.images.pyramid_file` does.
    """
    ttl = settings.DISAN_IIIF_LOOKUP_SECONDS
    now = time.monotonic()
    cache_id = (page.id, page.pyramid_path)
    entry = _identities.get(cache_id)
    if entry is not None and now - entry[0] < ttl:
        return entry[1]
    path = images.pyramid_file(page)
    stat = path.stat()
    found = (path, (stat.st_mtime_ns, stat.st_size))
    if ttl > 0:
        if len(_identities) >= _MAX_PAGES:
            _identities.clear()
        _identities[cache_id] = (now, found)
    return found


def forget_pages():
    """Drop every cached page row and pyramid identity of this process."""
    _pages.clear()
    _identities.clear()


@receiver(post_save, sender=Page, dispatch_uid="iiif-cache-page-saved")
@receiver(post_delete, sender=Page, dispatch_uid="iiif-cache-page-deleted")
@receiver(post_save, sender=HeritageDocument, dispatch_uid="iiif-cache-doc-saved")
@receiver(post_delete, sender=HeritageDocument, dispatch_uid="iiif-cache-doc-deleted")
def _forget_on_change(sender, **kwargs):
    # A document change (access level, status) concerns all its pages; it
    # is rare enough to drop the whole cache.
    # Limitation: QuerySet.update() sends no signal, and other processes
    # learn of any change only when their row expires, so a withdrawn
    # document may be served for up to DISAN_IIIF_LOOKUP_SECONDS more.
    forget_pages()
