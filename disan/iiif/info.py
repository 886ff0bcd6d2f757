"""Describe a page's image service: the Image API 3.0 ``info.json``.

Built only from the size recorded on the page at ingest and from settings,
never by opening the image.
"""

import math

from django.conf import settings
from django.urls import reverse

from disan.access.policy import can_view
from disan.iiif.auth import probe_service
from disan.iiif.parameters import FORMATS, QUALITIES

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_PROTOCOL = "http://iiif.io/api/image"
PROFILE = "level2"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"

# Largest output this service renders, in pixels (width x height).
# Limitation: a constant, not a DISAN_* setting, until settings.py gains
# DISAN_IIIF_MAX_AREA; it matters only for scans above 36 megapixels, whose
# full/max image is then served scaled down to this area.
MAX_AREA = 36_000_000

# Features beyond those level 2 requires.
EXTRA_FEATURES = [
    "mirroring",
    "rotationArbitrary",
    "sizeUpscaling",
    "canonicalLinkHeader",
    "profileLinkHeader",
]


def image_service_id(page, base_url, image_id=None):
    """Return the absolute id of ``page``'s image service.

    ``image_id`` is the identifier the request used (the page's UUID or an
    alias); the id of a service is the URI it was asked for.
    """
    return base_url + reverse("iiif:image-base", args=[image_id or page.image_id])


def auth_services(page, base_url, image_id=None):
    """Return the IIIF auth services of ``page``: a probe if it is restricted."""
    if can_view(None, page.document):
        return []
    return [probe_service(image_id or page.image_id, base_url)]


def scale_factors(width, height, tile_size):
    """Return the pyramid's scale factors: halvings until one tile holds a level."""
    factors = [1]
    while max(width, height) / factors[-1] > tile_size:
        factors.append(factors[-1] * 2)
    return factors


def level_sizes(width, height, tile_size):
    """Return the sizes of the reduced pyramid levels, smallest first."""
    return [
        {"width": math.ceil(width / factor), "height": math.ceil(height / factor)}
        for factor in reversed(scale_factors(width, height, tile_size)[1:])
    ]


def build_restricted_info(image_id, base_url):
    """Return the ``info.json`` a refused user gets: services, no size."""
    return {
        "@context": IMAGE_CONTEXT,
        "id": base_url + reverse("iiif:image-base", args=[image_id]),
        "type": "ImageService3",
        "protocol": IMAGE_PROTOCOL,
        "profile": PROFILE,
        "service": [probe_service(image_id, base_url)],
    }


def build_info(page, base_url, image_id=None):
    """Return the ``info.json`` document of ``page`` as a dict."""
    tile_size = settings.DISAN_TILE_SIZE
    info = {
        "@context": IMAGE_CONTEXT,
        "id": image_service_id(page, base_url, image_id),
        "type": "ImageService3",
        "protocol": IMAGE_PROTOCOL,
        "profile": PROFILE,
        "width": page.width,
        "height": page.height,
        "maxArea": MAX_AREA,
        "sizes": level_sizes(page.width, page.height, tile_size),
        "tiles": [
            {
                "width": tile_size,
                "scaleFactors": scale_factors(page.width, page.height, tile_size),
            }
        ],
        "extraQualities": [q for q in QUALITIES if q != "default"],
        "extraFormats": [f for f in FORMATS if f not in ("jpg", "png")],
        "extraFeatures": list(EXTRA_FEATURES),
    }
    services = auth_services(page, base_url, image_id)
    if services:
        info["service"] = services
    return info
