"""Parse IIIF Image API 3.0 request parameters into an ``ImageRequest``.

The four path segments after the image id (region, size, rotation and
quality.format) are read against the size of the page as shown. The result
holds resolved pixel values, so the image module never sees the syntax.
"""

import math
import re
from dataclasses import dataclass

from disan.iiif.exceptions import InvalidRequest

QUALITIES = ("default", "color", "gray", "bitonal")
FORMATS = ("jpg", "png", "webp")

_INT = r"\d+"
_FLOAT = r"(?:\d+(?:\.\d+)?|\.\d+)"
_PIXEL_REGION = re.compile(rf"({_INT}),({_INT}),({_INT}),({_INT})")
_PCT_REGION = re.compile(rf"pct:({_FLOAT}),({_FLOAT}),({_FLOAT}),({_FLOAT})")
_PCT_SIZE = re.compile(rf"pct:({_FLOAT})")
_WH_SIZE = re.compile(rf"(!)?({_INT})?,({_INT})?")
_ROTATION = re.compile(rf"(!)?({_FLOAT})")


@dataclass(frozen=True)
class Region:
    """A rectangle of the full image, in full-size pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class ImageRequest:
    """One image request with every parameter resolved to pixels."""

    region: Region
    width: int
    height: int
    mirror: bool
    rotation: float
    quality: str
    format: str
    full_region: bool
    upscaled: bool

    def canonical(self):
        """Return the canonical ``region/size/rotation/quality.format`` path."""
        if self.full_region:
            region = "full"
        else:
            r = self.region
            region = f"{r.x},{r.y},{r.width},{r.height}"
        if (self.width, self.height) == (self.region.width, self.region.height):
            size = "max"
        else:
            size = f"{'^' if self.upscaled else ''}{self.width},{self.height}"
        angle = f"{self.rotation:g}"
        rotation = f"{'!' if self.mirror else ''}{angle}"
        return f"{region}/{size}/{rotation}/{self.quality}.{self.format}"


def round_half_up(value):
    """Round a non-negative float to the nearest integer, halves upwards."""
    return int(math.floor(value + 0.5))


def max_size(width, height, max_area=None, upscale=False):
    """Return the ``max`` (or ``^max``) output size of a ``width`` x ``height`` region.

    Without ``upscale`` the region is returned at its own size unless that is
    larger than ``max_area``; with it, the region is scaled to fill
    ``max_area``.
    """
    area = width * height
    if max_area is None or (area <= max_area and not upscale):
        return width, height
    scale = math.sqrt(max_area / area)
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def parse_image_request(
    region, size, rotation, quality_format, *, width, height, max_area=None
):
    """Parse the four path segments of an image request.

    ``width`` and ``height`` are the full image size; ``max_area`` is the
    largest output area (pixels) the service allows, or None for no limit.
    Return an ``ImageRequest``; raise ``InvalidRequest`` naming the first bad
    parameter.
    """
    if width < 1 or height < 1:
        raise InvalidRequest(
            f"The image has no recorded size ({width}x{height}); ingest it again."
        )
    quality, image_format = _parse_quality_format(quality_format)
    resolved = _parse_region(region, width, height)
    out_width, out_height, upscaled = _parse_size(
        size, resolved.width, resolved.height, max_area
    )
    mirror, angle = _parse_rotation(rotation)
    return ImageRequest(
        region=resolved,
        width=out_width,
        height=out_height,
        mirror=mirror,
        rotation=angle,
        quality=quality,
        format=image_format,
        full_region=resolved == Region(0, 0, width, height),
        upscaled=upscaled,
    )


def _parse_region(text, width, height):
    if text == "full":
        return Region(0, 0, width, height)
    if text == "square":
        side = min(width, height)
        return Region((width - side) // 2, (height - side) // 2, side, side)

    match = _PIXEL_REGION.fullmatch(text)
    if match:
        x, y, w, h = (int(part) for part in match.groups())
    else:
        match = _PCT_REGION.fullmatch(text)
        if not match:
            raise InvalidRequest(
                f"Region {text!r} is not valid: use full, square, x,y,w,h or "
                "pct:x,y,w,h with non-negative numbers."
            )
        px, py, pw, ph = (float(part) for part in match.groups())
        x, w = round_half_up(px * width / 100), round_half_up(pw * width / 100)
        y, h = round_half_up(py * height / 100), round_half_up(ph * height / 100)

    # A region partly outside the image is cut to it; one wholly outside, or
    # empty, has nothing to return.
    if w < 1 or h < 1:
        raise InvalidRequest(f"Region {text!r} has no width or height.")
    if x >= width or y >= height:
        raise InvalidRequest(
            f"Region {text!r} lies outside the image, which is {width}x{height} pixels."
        )
    return Region(x, y, min(w, width - x), min(h, height - y))


def _parse_size(text, region_width, region_height, max_area):
    upscale = text.startswith("^")
    body = text[1:] if upscale else text

    if body == "max":
        out_width, out_height = max_size(region_width, region_height, max_area, upscale)
        return out_width, out_height, (out_width > region_width)
    match = _PCT_SIZE.fullmatch(body)
    if match:
        percent = float(match.group(1))
        if percent > 100 and not upscale:
            raise InvalidRequest(
                f"Size {text!r} is above 100 percent; add ^ to ask for upscaling."
            )
        out_width = round_half_up(region_width * percent / 100)
        out_height = round_half_up(region_height * percent / 100)
    else:
        out_width, out_height = _parse_wh_size(
            text, body, region_width, region_height, upscale
        )

    if out_width < 1 or out_height < 1:
        raise InvalidRequest(f"Size {text!r} gives an empty image.")
    if not upscale and (out_width > region_width or out_height > region_height):
        raise InvalidRequest(
            f"Size {text!r} is larger than the region ({region_width}x"
            f"{region_height}); add ^ to ask for upscaling."
        )
    if max_area is not None and out_width * out_height > max_area:
        raise InvalidRequest(
            f"Size {text!r} gives {out_width}x{out_height} pixels, more than the "
            f"{max_area} this service returns; ask for a smaller size."
        )
    upscaled = out_width > region_width or out_height > region_height
    return out_width, out_height, upscaled


def _parse_wh_size(text, body, region_width, region_height, upscale):
    match = _WH_SIZE.fullmatch(body)
    if not match or (match.group(2) is None and match.group(3) is None):
        raise InvalidRequest(
            f"Size {text!r} is not valid: use max, w,, ,h, pct:n, w,h or !w,h, "
            "each optionally after ^."
        )
    confined, w_text, h_text = match.groups()
    if confined:
        if w_text is None or h_text is None:
            raise InvalidRequest(f"Size {text!r} needs both a width and a height.")
        scale = min(int(w_text) / region_width, int(h_text) / region_height)
        if scale > 1 and not upscale:
            # The box is larger than the region both ways, so fitting the
            # region to it means upscaling: Image API 3.0 asks for ^ then
            # (as IIPImage, Cantaloupe and the IIIF validator read it).
            raise InvalidRequest(
                f"Size {text!r} is larger than the region ({region_width}x"
                f"{region_height}) both ways; add ^ to ask for upscaling, or "
                "ask for max."
            )
        return (
            min(int(w_text), round_half_up(region_width * scale)),
            min(int(h_text), round_half_up(region_height * scale)),
        )
    if h_text is None:
        w = int(w_text)
        return w, round_half_up(region_height * w / region_width)
    if w_text is None:
        h = int(h_text)
        return round_half_up(region_width * h / region_height), h
    return int(w_text), int(h_text)


def _parse_rotation(text):
    match = _ROTATION.fullmatch(text)
    if not match or float(match.group(2)) > 360:
        raise InvalidRequest(
            f"Rotation {text!r} is not valid: use a number of degrees from 0 to "
            "360, optionally after ! to mirror."
        )
    return bool(match.group(1)), float(match.group(2)) % 360


def _parse_quality_format(text):
    quality, dot, image_format = text.rpartition(".")
    if not dot:
        raise InvalidRequest(
            f"{text!r} has no format: end the request with quality.format, e.g. "
            "default.jpg."
        )
    if quality not in QUALITIES:
        raise InvalidRequest(
            f"Quality {quality!r} is not offered; use one of {', '.join(QUALITIES)}."
        )
    if image_format not in FORMATS:
        raise InvalidRequest(
            f"Format {image_format!r} is not offered; use one of {', '.join(FORMATS)}."
        )
    return quality, image_format
