"""Parsing of Image API 3.0 parameters into resolved pixel requests."""

import pytest

from disan.iiif.exceptions import InvalidRequest
from disan.iiif.parameters import Region, max_size, parse_image_request


def parse(
    region="full",
    size="max",
    rotation="0",
    quality_format="default.jpg",
    width=1000,
    height=700,
    max_area=None,
):
    return parse_image_request(
        region,
        size,
        rotation,
        quality_format,
        width=width,
        height=height,
        max_area=max_area,
    )


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("full", Region(0, 0, 1000, 700)),
        ("square", Region(150, 0, 700, 700)),
        ("0,0,256,256", Region(0, 0, 256, 256)),
        ("900,600,500,500", Region(900, 600, 100, 100)),
        ("pct:10,10,50,50", Region(100, 70, 500, 350)),
        ("pct:0,0,100,100", Region(0, 0, 1000, 700)),
        ("pct:12.5,.5,25,25", Region(125, 4, 250, 175)),
    ],
)
def test_region_resolves_to_pixels(region, expected):
    assert parse(region=region).region == expected


def test_square_of_portrait_image_is_centred_vertically():
    assert parse(region="square", width=700, height=1000).region == Region(
        0, 150, 700, 700
    )


@pytest.mark.parametrize(
    ("region", "size", "expected"),
    [
        ("full", "max", (1000, 700)),
        ("0,0,256,256", "256,", (256, 256)),
        ("full", "pct:50", (500, 350)),
        ("full", "!200,200", (200, 140)),
        ("full", "!2000,700", (1000, 700)),
        ("full", "!1000,2000", (1000, 700)),
        ("full", "^!2000,2000", (2000, 1400)),
        ("full", "500,", (500, 350)),
        ("full", ",350", (500, 350)),
        ("full", "333,", (333, 233)),
        ("full", "300,100", (300, 100)),
        ("full", "^1500,", (1500, 1050)),
        ("full", "^pct:150", (1500, 1050)),
        ("square", "max", (700, 700)),
        ("768,512,256,256", "128,", (128, 104)),
        ("768,512,256,256", "max", (232, 188)),
    ],
)
def test_size_resolves_to_output_pixels(region, size, expected):
    request = parse(region=region, size=size)
    assert (request.width, request.height) == expected


def test_max_is_limited_by_max_area():
    request = parse(size="max", max_area=70_000)
    assert (request.width, request.height) == (316, 221)


def test_upscaled_max_fills_max_area():
    assert max_size(1000, 700, max_area=2_800_000, upscale=True) == (2000, 1400)
    assert max_size(1000, 700, max_area=None, upscale=True) == (1000, 700)


@pytest.mark.parametrize(
    ("rotation", "mirror", "angle"),
    [
        ("0", False, 0.0),
        ("90", False, 90.0),
        ("!180", True, 180.0),
        ("22.5", False, 22.5),
        ("360", False, 0.0),
    ],
)
def test_rotation_and_mirroring(rotation, mirror, angle):
    request = parse(rotation=rotation)
    assert (request.mirror, request.rotation) == (mirror, angle)


@pytest.mark.parametrize(
    ("region", "size", "rotation", "quality_format", "canonical"),
    [
        ("full", "max", "0", "default.jpg", "full/max/0/default.jpg"),
        ("pct:0,0,100,100", "1000,", "0", "gray.png", "full/max/0/gray.png"),
        (
            "square",
            "!200,200",
            "!90",
            "bitonal.webp",
            "150,0,700,700/200,200/!90/bitonal.webp",
        ),
        ("full", "^1500,", "22.50", "color.jpg", "full/^1500,1050/22.5/color.jpg"),
    ],
)
def test_canonical_form(region, size, rotation, quality_format, canonical):
    request = parse(region, size, rotation, quality_format)
    assert request.canonical() == canonical


@pytest.mark.parametrize(
    ("region", "size", "rotation", "quality_format", "message"),
    [
        (
            "0,0,0,10",
            "max",
            "0",
            "default.jpg",
            "Region '0,0,0,10' has no width or height.",
        ),
        (
            "1000,0,10,10",
            "max",
            "0",
            "default.jpg",
            "Region '1000,0,10,10' lies outside the image, which is 1000x700 pixels.",
        ),
        (
            "pct:100,0,10,10",
            "max",
            "0",
            "default.jpg",
            "Region 'pct:100,0,10,10' lies outside the image, which is 1000x700 "
            "pixels.",
        ),
        (
            "-1,0,10,10",
            "max",
            "0",
            "default.jpg",
            "Region '-1,0,10,10' is not valid: use full, square, x,y,w,h or "
            "pct:x,y,w,h with non-negative numbers.",
        ),
        (
            "full",
            "1001,",
            "0",
            "default.jpg",
            "Size '1001,' is larger than the region (1000x700); add ^ to ask for "
            "upscaling.",
        ),
        (
            "full",
            ",701",
            "0",
            "default.jpg",
            "Size ',701' is larger than the region (1000x700); add ^ to ask for "
            "upscaling.",
        ),
        (
            "full",
            "1001,701",
            "0",
            "default.jpg",
            "Size '1001,701' is larger than the region (1000x700); add ^ to ask for "
            "upscaling.",
        ),
        (
            "full",
            "pct:101",
            "0",
            "default.jpg",
            "Size 'pct:101' is above 100 percent; add ^ to ask for upscaling.",
        ),
        ("full", "pct:0", "0", "default.jpg", "Size 'pct:0' gives an empty image."),
        (
            "full",
            ",",
            "0",
            "default.jpg",
            "Size ',' is not valid: use max, w,, ,h, pct:n, w,h or !w,h, each "
            "optionally after ^.",
        ),
        (
            "full",
            "!200,",
            "0",
            "default.jpg",
            "Size '!200,' needs both a width and a height.",
        ),
        (
            "full",
            "!2000,2000",
            "0",
            "default.jpg",
            "Size '!2000,2000' is larger than the region (1000x700) both ways; "
            "add ^ to ask for upscaling, or ask for max.",
        ),
        (
            "full",
            "full",
            "0",
            "default.jpg",
            "Size 'full' is not valid: use max, w,, ,h, pct:n, w,h or !w,h, each "
            "optionally after ^.",
        ),
        (
            "full",
            "max",
            "361",
            "default.jpg",
            "Rotation '361' is not valid: use a number of degrees from 0 to 360, "
            "optionally after ! to mirror.",
        ),
        (
            "full",
            "max",
            "-90",
            "default.jpg",
            "Rotation '-90' is not valid: use a number of degrees from 0 to 360, "
            "optionally after ! to mirror.",
        ),
        (
            "full",
            "max",
            "0",
            "native.jpg",
            "Quality 'native' is not offered; use one of default, color, gray, "
            "bitonal.",
        ),
        (
            "full",
            "max",
            "0",
            "default.gif",
            "Format 'gif' is not offered; use one of jpg, png, webp.",
        ),
        (
            "full",
            "max",
            "0",
            "default",
            "'default' has no format: end the request with quality.format, e.g. "
            "default.jpg.",
        ),
    ],
)
def test_bad_parameters_are_rejected_with_a_reason(
    region, size, rotation, quality_format, message
):
    with pytest.raises(InvalidRequest) as raised:
        parse(region, size, rotation, quality_format)
    assert str(raised.value) == message


def test_size_above_max_area_is_rejected():
    with pytest.raises(InvalidRequest) as raised:
        parse(size="^2000,2000", max_area=1_000_000)
    assert str(raised.value) == (
        "Size '^2000,2000' gives 2000x2000 pixels, more than the 1000000 this "
        "service returns; ask for a smaller size."
    )


def test_invalid_request_is_a_value_error():
    with pytest.raises(ValueError):
        parse(size="abc")
