"""Tell a file's format family from its first bytes, and name it.

Sniffing stays here rather than in a library: which families Disan takes,
and how a name must agree with its content, is Disan's own decision.
"""

ACCEPTED = "JPEG, PNG, TIFF, JPEG 2000 or PDF"

# Extension -> format family; the content must belong to the same family.
EXTENSIONS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".jp2": "jpeg2000",
    ".jpf": "jpeg2000",
    ".jpx": "jpeg2000",
    ".j2k": "jpeg2000",
    ".j2c": "jpeg2000",
    ".jpc": "jpeg2000",
    ".pdf": "pdf",
    ".gif": "gif",
    ".bmp": "bmp",
    ".webp": "webp",
}
FAMILY_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "tiff": "TIFF",
    "jpeg2000": "JPEG 2000",
    "pdf": "PDF",
    "gif": "GIF",
    "bmp": "BMP",
    "webp": "WebP",
}
# PRONOM identifiers that the header alone decides reliably.
JFIF_PUIDS = {(1, 0): "fmt/42", (1, 1): "fmt/43", (1, 2): "fmt/44"}
PDF_PUIDS = {
    "1.0": "fmt/14",
    "1.1": "fmt/15",
    "1.2": "fmt/16",
    "1.3": "fmt/17",
    "1.4": "fmt/18",
    "1.5": "fmt/19",
    "1.6": "fmt/20",
    "1.7": "fmt/276",
    "2.0": "fmt/1129",
}

JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
J2K_START = b"\xff\x4f\xff\x51"  # SOC then SIZ: a bare codestream
BIGTIFF_MAGIC = (b"II+\x00", b"MM\x00+")


def sniff(head):
    """Return the format family of ``head`` (the first bytes), or ``""``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", *BIGTIFF_MAGIC):
        return "tiff"
    if head.startswith(JP2_SIGNATURE) or head.startswith(J2K_START):
        return "jpeg2000"
    if b"%PDF-" in head:
        return "pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return ""
