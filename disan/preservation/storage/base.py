"""The contract every store of masters keeps, whatever it is built on.

A store holds one object per document. Each ``put`` either leaves the object
as it is (same logical state) or adds exactly one version; objects are never
rewritten in place and never deleted through this contract.
"""

import abc
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FileEntry:
    """One logical file of a version: its digest, size and stored copy."""

    sha256: str
    size: int
    # Path of the content file relative to the object's root, e.g.
    # "v1/content/trang 1.jpg"; it may belong to an earlier version.
    content_path: str


@dataclass(frozen=True)
class PutResult:
    """What ``put`` left as the head version of the object."""

    version: str
    changed: bool
    files: dict[str, FileEntry]


@dataclass
class ValidationReport:
    """Findings of a validation of the whole store, errors and warnings."""

    valid: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ObjectStore(abc.ABC):
    """Versioned, fixity-checked storage of the master files of documents."""

    @abc.abstractmethod
    def put(
        self,
        object_id: str,
        files: list[tuple[Path, str]],
        *,
        message: str,
        agent: str,
    ) -> PutResult:
        """Make ``files`` (source path, logical path) the object's state.

        Write nothing and return ``changed=False`` when the logical paths
        and their SHA-256 digests equal the head version; otherwise add one
        version atomically and return ``changed=True``.
        """

    @abc.abstractmethod
    def update(
        self,
        object_id: str,
        files: list[tuple[Path, str]],
        *,
        message: str,
        agent: str,
    ) -> PutResult:
        """Add or replace ``files`` in the head state of an existing object.

        The head's other files stay as they are. As with :meth:`put`, an
        update that changes no digest writes nothing (``changed=False``).
        """

    @abc.abstractmethod
    def head_version(self, object_id: str) -> str | None:
        """Return the head version name ("v3"), or None if no such object."""

    @abc.abstractmethod
    def files(self, object_id: str) -> dict[str, FileEntry]:
        """Return the head version's files keyed by NFC logical path."""

    @abc.abstractmethod
    def path(self, object_id: str, logical_path: str) -> Path:
        """Return the content file on disk for a logical path, to read only."""

    @abc.abstractmethod
    def exists(self, object_id: str) -> bool:
        """Return True if an object with this id is stored."""

    @abc.abstractmethod
    def validate(self) -> ValidationReport:
        """Validate the whole store and report every problem found."""
