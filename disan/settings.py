"""Django settings for Disan.

Every ``DISAN_*`` setting lives in the first section of this module, each
with its meaning, type and default. An environment variable of the same
name overrides the default. Secrets come only from the environment or from a
file named by ``DISAN_SECRET_KEY_FILE``.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env(name, default):
    return os.environ.get(name, default)


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Disan settings -------------------------------------------------------

# Path: the data folder holding the database, the OCFL storage root,
# derivatives, the search index, the embedded broker and transfers.
# Default ./disan-data (relative to the working directory).
DISAN_HOME = Path(_env("DISAN_HOME", "disan-data")).resolve()

# str: Celery broker URL. Default: the embedded file-system broker inside
# DISAN_HOME (no server needed). Use amqp://... or redis://... to scale out.
DISAN_BROKER_URL = _env("DISAN_BROKER_URL", "")

# str: name of the queue Disan's jobs go through. Default "disan". Give each
# installation sharing one RabbitMQ or Redis server its own name.
DISAN_TASK_QUEUE = _env("DISAN_TASK_QUEUE", "disan")

# str: database URL. Default: SQLite file DISAN_HOME/disan.sqlite3. A
# postgresql://user@host/name URL switches to PostgreSQL.
DISAN_DATABASE_URL = _env("DISAN_DATABASE_URL", "")

# Path: the OCFL 1.1 storage root for masters. Default DISAN_HOME/ocfl.
DISAN_OCFL_ROOT = Path(_env("DISAN_OCFL_ROOT", str(DISAN_HOME / "ocfl")))

# Path: derivatives (pyramidal TIFFs, thumbnails). Default DISAN_HOME/derivatives.
DISAN_DERIVATIVES_ROOT = Path(
    _env("DISAN_DERIVATIVES_ROOT", str(DISAN_HOME / "derivatives"))
)

# Path: staging area where a batch is copied before processing.
# Default DISAN_HOME/transfers.
DISAN_TRANSFERS_ROOT = Path(_env("DISAN_TRANSFERS_ROOT", str(DISAN_HOME / "transfers")))

# Path: the search index file. Default DISAN_HOME/search/index.sqlite3.
DISAN_SEARCH_INDEX = Path(
    _env("DISAN_SEARCH_INDEX", str(DISAN_HOME / "search" / "index.sqlite3"))
)

# str: dotted path of the search backend class. Default Tantivy, whose index
# is the folder DISAN_SEARCH_INDEX with the suffix .tantivy; SQLite FTS5
# (disan.search.backends.sqlite_fts.SQLiteFTSBackend) uses the file itself.
DISAN_SEARCH_BACKEND = _env(
    "DISAN_SEARCH_BACKEND", "disan.search.backends.tantivy_index.TantivyBackend"
)

# str: dotted path of the OCR engine class.
DISAN_OCR_ENGINE = _env(
    "DISAN_OCR_ENGINE", "disan.ocr.engines.tesseract.TesseractEngine"
)

# str: access level of a new document or archival file whose metadata,
# inventory row or form names none: "public", "conditional" or "secret".
# Default "conditional", so nothing is published by accident; say "public"
# in the batch's metadata or the inventory to publish. A record already in
# the catalog keeps its level when a batch or an inventory names none.
DISAN_DEFAULT_ACCESS_LEVEL = (
    _env("DISAN_DEFAULT_ACCESS_LEVEL", "conditional").strip().lower()
)
if DISAN_DEFAULT_ACCESS_LEVEL not in ("public", "conditional", "secret"):
    raise ImproperlyConfigured(
        f"DISAN_DEFAULT_ACCESS_LEVEL is '{DISAN_DEFAULT_ACCESS_LEVEL}'; "
        "use public, conditional or secret"
    )

# bool: run OCR during ingest. Default true.
DISAN_OCR_ENABLED = _env_bool("DISAN_OCR_ENABLED", True)

# str: the tesseract executable. Default "tesseract" on PATH.
DISAN_TESSERACT_CMD = _env("DISAN_TESSERACT_CMD", "tesseract")

# int: seconds one page's OCR may take before it is given up. Default 600.
DISAN_OCR_TIMEOUT = _env_int("DISAN_OCR_TIMEOUT", 600)

# int: largest image accepted, in pixels (width x height), checked from the
# header before any pixel is decoded. Default 400 megapixels.
DISAN_MAX_IMAGE_PIXELS = _env_int("DISAN_MAX_IMAGE_PIXELS", 400_000_000)

# int: largest file accepted, in bytes. Default 4 GiB.
DISAN_MAX_FILE_BYTES = _env_int("DISAN_MAX_FILE_BYTES", 4 * 1024**3)

# int: largest number of pages in one PDF or multi-page TIFF. Default 5000.
DISAN_MAX_PAGES = _env_int("DISAN_MAX_PAGES", 5000)

# int: resolution (dpi) at which PDF pages are rendered for derivatives.
# Default 200.
DISAN_PDF_DPI = _env_int("DISAN_PDF_DPI", 200)

# int: tile size of the pyramidal TIFFs, in pixels. Default 256.
DISAN_TILE_SIZE = _env_int("DISAN_TILE_SIZE", 256)

# int: JPEG quality of derivatives and served images. Default 85.
DISAN_JPEG_QUALITY = _env_int("DISAN_JPEG_QUALITY", 85)

# int: longest edge of thumbnails, in pixels. Default 400.
DISAN_THUMBNAIL_SIZE = _env_int("DISAN_THUMBNAIL_SIZE", 400)

# int: Celery worker processes started by `disan worker` / `disan serve`.
# Default: the number of CPU cores.
DISAN_WORKER_CONCURRENCY = _env_int("DISAN_WORKER_CONCURRENCY", os.cpu_count() or 1)

# int: seconds after which a running job whose worker has stopped sending
# heartbeats is taken as lost and queued again. Default 120.
DISAN_JOB_STALE_SECONDS = _env_int("DISAN_JOB_STALE_SECONDS", 120)

# str: public base URL used in IIIF ids when a request is not at hand
# (command line output). Default http://127.0.0.1:8000.
DISAN_BASE_URL = _env("DISAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# str: rights URI put in IIIF manifests and collections as "rights" (a
# Creative Commons or RightsStatements.org http URI), until documents record
# their own. Empty leaves "rights" out. Default "Copyright Not Evaluated":
# http://rightsstatements.org/vocab/CNE/1.0/
DISAN_DEFAULT_RIGHTS = _env(
    "DISAN_DEFAULT_RIGHTS", "http://rightsstatements.org/vocab/CNE/1.0/"
)

# int: seconds an IIIF Authorization Flow access token stays valid (it also
# ends when its session does). Default 3600.
DISAN_IIIF_TOKEN_SECONDS = _env_int("DISAN_IIIF_TOKEN_SECONDS", 3600)

# list[str]: further storage locations for replicas (comma-separated): local
# folders, or s3://bucket/prefix for a prefix of an S3-compatible bucket.
DISAN_REPLICAS = _env_list("DISAN_REPLICAS", [])

# str: endpoint URL of the S3-compatible service holding s3:// replicas, e.g.
# https://s3.example.vn or http://127.0.0.1:9000. Default "": Amazon S3.
# Credentials are not settings: boto3 reads AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN, AWS_PROFILE) itself.
DISAN_S3_ENDPOINT_URL = _env("DISAN_S3_ENDPOINT_URL", "")

# str: region of the s3:// replicas' buckets. Default "": boto3's own choice
# (AWS_DEFAULT_REGION, ~/.aws/config), else us-east-1.
DISAN_S3_REGION = _env("DISAN_S3_REGION", "")

# int: attempts per S3 request before a replica is reported unreachable
# (boto3's "standard" retry mode). Default 3.
# Kept as written and checked when a bucket is first used, so a bad value
# stops the commands that use S3 with a clear message (not every command).
DISAN_S3_MAX_ATTEMPTS = _env("DISAN_S3_MAX_ATTEMPTS", 3)

# int: seconds to wait for a connection to, or an answer from, the S3
# endpoint. Default 10 to connect and 60 to read.
DISAN_S3_CONNECT_TIMEOUT = _env("DISAN_S3_CONNECT_TIMEOUT", 10)
DISAN_S3_READ_TIMEOUT = _env("DISAN_S3_READ_TIMEOUT", 60)

# int: seconds within which the worker's periodic fixity audit covers every
# object once, a slice at a time. Default 604800 (one week); 0 turns it off.
DISAN_AUDIT_INTERVAL = _env_int("DISAN_AUDIT_INTERVAL", 7 * 24 * 3600)

# list[str]: e-mail addresses told of fixity failures (comma-separated).
# Default none: then Django's ADMINS, if set, get mail_admins().
DISAN_ALERT_EMAILS = _env_list("DISAN_ALERT_EMAILS", [])

# int: largest total size, in bytes, a zipped BagIt bag may unpack to (at
# ingest and `disan bag validate`). Default 64 GiB.
DISAN_BAG_MAX_BYTES = _env_int("DISAN_BAG_MAX_BYTES", 64 * 1024**3)

# int: seconds a browser or shared cache may keep a public image, info.json or
# download (Cache-Control: public, max-age). It is also the longest such a
# cache may go on showing a document after staff restrict it, so it is kept
# short; ETags make asking again cheap. Default 3600 (an hour).
DISAN_PUBLIC_MAX_AGE = _env_int("DISAN_PUBLIC_MAX_AGE", 3600)

# int: bytes the IIIF image cache (DISAN_HOME/cache/iiif) may hold; the
# oldest renderings are removed beyond it. 0 turns the cache off. Default 1 GiB.
DISAN_IIIF_CACHE_BYTES = _env_int("DISAN_IIIF_CACHE_BYTES", 1024**3)

# int: seconds a web process may reuse a page's row (size, pyramid file and
# its identity) before reading it again. Access level and status are read on
# every request whatever this says, so a document made restricted is never
# served again; a pyramid rewritten by another process may be served old for
# this long. 0 reads everything on every request. Default 2.
DISAN_IIIF_LOOKUP_SECONDS = _env_int("DISAN_IIIF_LOOKUP_SECONDS", 2)

# --- Django -----------------------------------------------------------------


def _secret_key():
    if os.environ.get("DISAN_SECRET_KEY"):
        return os.environ["DISAN_SECRET_KEY"]
    key_file = os.environ.get("DISAN_SECRET_KEY_FILE") or str(DISAN_HOME / "secret_key")
    path = Path(key_file)
    if path.exists():
        return path.read_text().strip()
    # First run: make a key and keep it in the data folder, readable by the
    # owner only, so sessions survive restarts.
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    except FileExistsError:
        return path.read_text().strip()
    except OSError:
        pass
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DISAN_DEBUG", False)
ALLOWED_HOSTS = _env_list(
    "DISAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "disan.core",
    "disan.catalog",
    "disan.preservation",
    "disan.derivatives",
    "disan.ocr",
    "disan.ingest",
    "disan.search",
    "disan.access",
    "disan.iiif",
    "disan.portal",
    "disan.targets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "disan.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept in the catalog's edit history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "disan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "disan.preservation.context_processors.fixity_alerts",
            ],
        },
    },
]

WSGI_APPLICATION = "disan.wsgi.application"


def _databases():
    url = DISAN_DATABASE_URL
    if url.startswith(("postgres://", "postgresql://")):
        from urllib.parse import unquote, urlparse

        parsed = urlparse(url)
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": parsed.path.lstrip("/"),
                "USER": unquote(parsed.username or ""),
                "PASSWORD": unquote(parsed.password or ""),
                "HOST": parsed.hostname or "",
                "PORT": str(parsed.port or ""),
            }
        }
    name = url.removeprefix("sqlite:///") if url else str(DISAN_HOME / "disan.sqlite3")
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # The web server, the command line and the workers share one
                # file; WAL lets readers go on while a worker writes.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    " PRAGMA busy_timeout=30000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the apps by WhiteNoise; no collectstatic step.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (heritage status decisions) live in the data folder.
MEDIA_ROOT = DISAN_HOME / "media"
MEDIA_URL = "/media/"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        # Not propagated: a worker's root logger would print each line twice.
        "disan": {
            "handlers": ["console"],
            "level": _env("DISAN_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # The embedded file-system broker has no host; kombu warns of that
        # on every connection.
        "kombu.connection": {"level": "ERROR"},
        # libvips warns through pyvips of every TIFF tag it does not know
        # (scanners write many); only its errors go to the log, unless
        # DISAN_LOG_LEVEL asks for more.
        "pyvips": {
            "level": (
                "WARNING"
                if _env("DISAN_LOG_LEVEL", "WARNING").upper() in ("DEBUG", "INFO")
                else "ERROR"
            )
        },
    },
}

# --- Celery -----------------------------------------------------------------


def _broker():
    if DISAN_BROKER_URL:
        return DISAN_BROKER_URL, {}
    folder = DISAN_HOME / "broker"
    return "filesystem://", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        # Seconds between looks at the queue folder: each step of a document
        # waits up to this long for the next, so keep it short.
        "polling_interval": 0.1,
    }


CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = _broker()
CELERY_TASK_DEFAULT_QUEUE = DISAN_TASK_QUEUE
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
