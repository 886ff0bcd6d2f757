"""OCFL storage roots kept in an S3-compatible bucket, as replicas.

A replica named ``s3://bucket/prefix`` holds the very tree a storage root on
disk holds, one S3 object per file under ``prefix/``: the ``0=ocfl_1.1``
declaration, ``ocfl_layout.json`` and the layout extension's config, and
per OCFL object its declaration, inventories, sidecars and content paths.
Synced to a disk (``aws s3 sync s3://bucket/prefix folder``) it is a valid
storage root.

:class:`S3Store` talks to the bucket through boto3. :class:`S3Path` names
one key the way a :class:`pathlib.Path` names a file (``/``, ``name``,
``read_bytes``, ``open``), so fixity, repair and restore read a copy in a
bucket with the calls they use on a folder. S3 has no rename, so how a copy
is written without ever showing an inventory that points at missing content
is the business of :mod:`disan.preservation.bucket`.
"""

import contextlib
import io
import json
import logging
import os
import re
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from ocfl.layout import LayoutException
from ocfl.layout_registry import get_layout, layout_is_supported

from disan.core.text import nfc
from disan.preservation.exceptions import (
    ReplicaConfigurationError,
    ReplicaFileNotFound,
    ReplicaUnavailable,
    StorageConfigurationError,
)
from disan.preservation.storage.naming import normalize_object_id

logger = logging.getLogger(__name__)

ROOT_DECLARATION = "0=ocfl_1.1"
LAYOUT_FILE = "ocfl_layout.json"
SCHEME = "s3://"
# Bucket names as S3 allows them (lower case, 3 to 63 characters).
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_ADDRESS = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_REFUSED = {
    "403",
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
}

_clients = {}
_clients_lock = threading.Lock()


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:/*).*@")
_QUERY = re.compile(r"[?#].*$", re.DOTALL)
# Most attempts per request: beyond this an unreachable bucket would hold
# an ingest or an audit for hours.
MAX_ATTEMPTS = 20


def redact(value):
    """Return ``value`` with any user name, password and query of a URL replaced.

    Every message that shows a DISAN_REPLICAS entry or the endpoint URL
    shows it through this, since such messages are logged and e-mailed.
    """
    value = value.strip()
    if not has_scheme(value):
        return value
    return _QUERY.sub("?***", _USERINFO.sub(r"\1***@", value))


_SCHEME_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def has_scheme(value):
    """Return True if ``value`` begins with a URL scheme ("name:")."""
    return _SCHEME_START.match(value) is not None


def endpoint_url():
    """Return DISAN_S3_ENDPOINT_URL, or None for Amazon S3.

    A user name or password in it is refused without being shown:
    credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    """
    endpoint = (settings.DISAN_S3_ENDPOINT_URL or "").strip()
    if not endpoint:
        return None
    if "@" in urllib.parse.urlsplit(endpoint).netloc or _USERINFO.match(endpoint):
        raise ReplicaConfigurationError(
            f"DISAN_S3_ENDPOINT_URL ({redact(endpoint)}) holds a user name or "
            "password; credentials never go in the URL. Give the endpoint alone, "
            "e.g. http://127.0.0.1:9000, and the credentials in AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY."
        )
    return endpoint


def shown_endpoint():
    """Return the endpoint as messages show it (credentials and query hidden)."""
    endpoint = (settings.DISAN_S3_ENDPOINT_URL or "").strip()
    return redact(endpoint) if endpoint else "Amazon S3"


def _scrub(text):
    # Errors from boto3 may quote the endpoint URL as it was given.
    endpoint = (settings.DISAN_S3_ENDPOINT_URL or "").strip()
    if endpoint and endpoint != redact(endpoint):
        text = text.replace(endpoint, redact(endpoint))
    return text


def is_s3_url(value):
    """Return True if a DISAN_REPLICAS entry names an S3 bucket."""
    return value.strip().lower().startswith(SCHEME)


def parse_url(value):
    """Return (bucket, prefix) of ``s3://bucket/prefix``; raise on anything else."""
    shown = redact(value)
    parts = urllib.parse.urlsplit(value.strip())
    example = "s3://bucket/prefix, e.g. s3://disan-ban-sao/ocfl"
    if parts.scheme.lower() != "s3":
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names {shown!r}, which is not an s3:// URL; write "
            f"{example}."
        )
    if parts.query or parts.fragment or "@" in parts.netloc or ":" in parts.netloc:
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names {shown!r}: an s3:// replica is only "
            f"{example}, with no port, credentials, '?' or '#'. The endpoint goes "
            "in DISAN_S3_ENDPOINT_URL, credentials in AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY."
        )
    bucket = parts.netloc
    if not _BUCKET.match(bucket) or ".." in bucket or _IP_ADDRESS.match(bucket):
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names {shown!r}, whose bucket {bucket!r} is not a "
            "valid bucket name (3 to 63 lower-case letters, digits, '.' or '-'); "
            f"write {example}."
        )
    prefix = nfc(parts.path.strip("/"))
    segments = prefix.split("/") if prefix else []
    if any(
        segment in ("", ".", "..") or "\\" in segment or not segment.isprintable()
        for segment in segments
    ):
        raise ReplicaConfigurationError(
            f"DISAN_REPLICAS names {shown!r}, whose prefix {prefix!r} has an "
            "empty, '.', '..' or unprintable part; write it as folder names "
            "joined by single '/'."
        )
    return bucket, prefix


def get_client():
    """Return the boto3 S3 client for the current DISAN_S3_* settings.

    One client per process and settings: boto3 clients are thread-safe but
    their connection pools must not cross a fork.
    """
    endpoint = endpoint_url()
    region = settings.DISAN_S3_REGION or None
    numbers = client_numbers()
    key = (os.getpid(), endpoint, region, *numbers)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = _new_client(endpoint, region, *numbers)
    return client


def client_numbers():
    """Return (attempts, connect timeout, read timeout) from the settings.

    Each is checked here, and named in the error when it is not usable.
    """
    return (
        _number(
            "DISAN_S3_MAX_ATTEMPTS",
            int,
            3,
            f"a whole number of attempts from 1 to {MAX_ATTEMPTS}",
            most=MAX_ATTEMPTS,
        ),
        _number("DISAN_S3_CONNECT_TIMEOUT", float, 10, "a number of seconds above 0"),
        _number("DISAN_S3_READ_TIMEOUT", float, 60, "a number of seconds above 0"),
    )


def _number(name, kind, default, wanted, most=None):
    value = getattr(settings, name)
    if value is None or str(value).strip() == "":
        return default
    try:
        number = kind(str(value).strip())
    except ValueError:
        number = None
    if (
        number is None
        or number <= 0
        or number != number
        or number == float("inf")
        or (most is not None and number > most)
    ):
        raise ReplicaConfigurationError(
            f"{name} is {value!r}; give {wanted}, or leave it unset for the default."
        )
    return number


def _new_client(endpoint, region, attempts, connect_timeout, read_timeout):
    # boto3 takes a good part of a second to import: only when S3 is used.
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": attempts},
        # Other S3-compatible services rarely have per-bucket host names.
        s3={"addressing_style": "path" if endpoint else "auto"},
    )
    try:
        return boto3.session.Session().client(
            "s3", endpoint_url=endpoint, region_name=region, config=config
        )
    except ValueError as err:
        raise ReplicaConfigurationError(
            f"DISAN_S3_ENDPOINT_URL {redact(endpoint)!r} is not a usable endpoint "
            f"({_scrub(str(err))}); "
            "give a URL such as https://s3.example.vn or http://127.0.0.1:9000."
        ) from err


class S3Store:
    """An OCFL storage root as objects under a prefix of an S3 bucket."""

    def __init__(self, url):
        self.bucket, self.prefix = parse_url(url)
        self.url = SCHEME + self.bucket + (f"/{self.prefix}" if self.prefix else "")
        self.root = S3Path(self, "")
        self._layout = None

    def __repr__(self):
        return f"S3Store({self.url!r})"

    @property
    def client(self):
        return get_client()

    def key(self, relative):
        """Return the S3 key of a path relative to the storage root."""
        return "/".join(part for part in (self.prefix, relative) if part)

    def url_of(self, relative):
        return f"{self.url}/{relative}" if relative else self.url

    # --- Storage root ---------------------------------------------------

    def check(self):
        """Raise a clear error unless the bucket answers and lets Disan in."""
        with self._errors("reach the bucket"):
            self.client.head_bucket(Bucket=self.bucket)

    def declared(self):
        return self.size(ROOT_DECLARATION) is not None

    def object_dir(self, object_id):
        """Return the S3Path of an object's folder under the root's layout."""
        object_id = normalize_object_id(object_id)
        return self.root / self._object_layout().identifier_to_path(object_id)

    def _object_layout(self):
        if self._layout is None:
            try:
                name = json.loads(self.get(LAYOUT_FILE))["extension"]
                if not layout_is_supported(name):
                    raise LayoutException(f"layout {name!r} is not supported")
                layout = get_layout(name)
                config = self.get_optional(layout.config_file.replace(os.sep, "/"))
                if config is not None:
                    layout.check_and_set_layout_params(json.loads(config))
            except (ReplicaFileNotFound, ValueError, KeyError, TypeError) as err:
                raise StorageConfigurationError(
                    f"{self.url} is not a usable OCFL storage root: its "
                    f"{LAYOUT_FILE} or layout config cannot be read ({err}); run "
                    "`disan repair` or remove the prefix and replicate again."
                ) from err
            except LayoutException as err:
                raise StorageConfigurationError(
                    f"{self.url} declares a storage layout Disan cannot use ({err})."
                ) from err
            self._layout = layout
        return self._layout

    def object_dirs(self):
        """Yield the S3Path of every OCFL object folder in the root."""
        folders = set()
        for relative in self.list(""):
            folder, _slash, name = relative.rpartition("/")
            if folder and name in ("0=ocfl_object_1.1", "inventory.json"):
                folders.add(folder)
        for folder in sorted(folders):
            parts = folder.split("/")
            if parts[0] == "extensions":
                continue
            # A version folder's inventory lies inside its object's folder.
            if any("/".join(parts[:i]) in folders for i in range(1, len(parts))):
                continue
            yield self.root / folder

    # --- Keys -----------------------------------------------------------

    def list(self, relative):
        """Map every file under the folder ``relative`` to its size in bytes."""
        folder = self.key(relative)
        prefix = f"{folder}/" if folder else ""
        found = {}
        with self._errors(f"list {self.url_of(relative)}"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    name = item["Key"][len(prefix) :]
                    # "folder/" placeholders some tools make hold no file.
                    if name and not name.endswith("/"):
                        found[name] = item["Size"]
        return found

    def some_files(self, limit):
        """Return up to ``limit`` files of the root, relative to it."""
        prefix = f"{self.prefix}/" if self.prefix else ""
        with self._errors(f"list {self.url}"):
            answer = self.client.list_objects_v2(
                Bucket=self.bucket, Prefix=prefix, MaxKeys=limit
            )
        return [item["Key"][len(prefix) :] for item in answer.get("Contents", ())]

    def size(self, relative):
        """Return the size of the file ``relative``, or None if there is none."""
        try:
            with self._errors(f"look up {self.url_of(relative)}", relative):
                answer = self.client.head_object(
                    Bucket=self.bucket, Key=self.key(relative)
                )
        except ReplicaFileNotFound:
            return None
        return answer["ContentLength"]

    def get(self, relative):
        """Return the bytes of the file ``relative``."""
        with self.open(relative) as reader:
            return reader.read()

    def get_optional(self, relative):
        try:
            return self.get(relative)
        except ReplicaFileNotFound:
            return None

    def open(self, relative):
        """Return a binary reader streaming the file ``relative``."""
        with self._errors(f"read {self.url_of(relative)}", relative):
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(relative))
        return _Reader(answer["Body"], self.url_of(relative))

    def put(self, relative, reader):
        """Write the file ``relative`` from a binary reader (any size)."""
        with self._errors(f"write {self.url_of(relative)}"):
            self.client.upload_fileobj(reader, self.bucket, self.key(relative))

    def delete(self, relative):
        with self._errors(f"delete {self.url_of(relative)}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(relative))

    @contextlib.contextmanager
    def _errors(self, action, relative=None):
        """Turn boto3's exceptions into Disan's, naming the replica."""
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        endpoint = shown_endpoint()
        try:
            yield
        except ClientError as err:
            error = err.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in _NOT_FOUND and relative is not None:
                raise ReplicaFileNotFound(
                    f"{self.url_of(relative)} does not exist."
                ) from err
            if code in ("NoSuchBucket",) or (code in _NOT_FOUND and not relative):
                raise ReplicaConfigurationError(
                    f"Bucket {self.bucket!r} of replica {self.url} does not exist "
                    f"at {endpoint}; create it, or correct DISAN_REPLICAS or "
                    "DISAN_S3_ENDPOINT_URL."
                ) from err
            if code in _REFUSED:
                raise ReplicaUnavailable(
                    f"Replica {self.url} at {endpoint} refused to {action} "
                    f"({code}); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
                    "the bucket's policy."
                ) from err
            raise ReplicaUnavailable(
                f"Replica {self.url} at {endpoint} could not {action}: {code} "
                f"{_scrub(str(error.get('Message', '')))}".rstrip()
            ) from err
        except NoCredentialsError as err:
            raise ReplicaConfigurationError(
                f"No credentials for replica {self.url}; set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in Disan's environment."
            ) from err
        except (BotoCoreError, Boto3Error) as err:
            # Boto3Error: a managed upload that failed (S3UploadFailedError).
            raise ReplicaUnavailable(
                f"Replica {self.url} at {endpoint} could not {action}: "
                f"{_scrub(str(err))}. "
                "Check DISAN_S3_ENDPOINT_URL and the network."
            ) from err


class _Reader(io.RawIOBase):
    """A response body as a file, raising OSError (ReplicaUnavailable)."""

    def __init__(self, body, url):
        super().__init__()
        self._body = body
        self._url = url
        self._position = 0

    def readable(self):
        return True

    def tell(self):
        return self._position

    def readinto(self, buffer):
        from botocore.exceptions import BotoCoreError

        try:
            data = self._body.read(len(buffer))
        except BotoCoreError as err:
            raise ReplicaUnavailable(
                f"Reading {self._url} stopped: {err}; check the network and retry."
            ) from err
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self):
        if not self.closed:
            self._body.close()
        super().close()


@dataclass(frozen=True)
class S3Path:
    """A file or folder of an S3 storage root, used like a pathlib.Path."""

    store: S3Store
    relative: str

    def __truediv__(self, other):
        other = str(other).strip("/")
        return S3Path(
            self.store, f"{self.relative}/{other}" if self.relative else other
        )

    def __str__(self):
        return self.store.url_of(self.relative)

    @property
    def name(self):
        return self.relative.rpartition("/")[2]

    def relative_to(self, other):
        if other.store is not self.store:
            raise ValueError(f"{self} is not in {other}")
        if not other.relative:
            return PurePosixPath(self.relative)
        return PurePosixPath(self.relative).relative_to(other.relative)

    def files(self):
        """Map every file under this folder to its size (empty: no folder)."""
        return self.store.list(self.relative)

    def is_dir(self):
        return bool(self.files())

    def is_file(self):
        return self.store.size(self.relative) is not None

    def exists(self):
        return self.is_file() or self.is_dir()

    def stat_size(self):
        return self.store.size(self.relative)

    def open(self, mode="rb"):
        if mode != "rb":
            raise ValueError(f"{self} can only be opened with mode 'rb'")
        return self.store.open(self.relative)

    def read_bytes(self):
        return self.store.get(self.relative)

    def read_text(self, encoding="utf-8"):
        return self.read_bytes().decode(encoding)
