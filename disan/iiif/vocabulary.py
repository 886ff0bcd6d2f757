"""Vietnamese and English labels shown in manifests.

Manifests carry both languages at once, whatever the request's language, so
the pairs are data here rather than gettext strings.
"""

from disan.catalog.models import AccessLevel, HeritageStatus

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"

# Metadata fields: key -> (Vietnamese, English).
FIELDS = {
    "identifier": ("Mã định danh", "Identifier"),
    "original_title": ("Nhan đề nguyên văn", "Original-script title"),
    "type": ("Loại hình", "Type"),
    "date": ("Thời gian", "Date"),
    "languages": ("Ngôn ngữ", "Languages"),
    "scripts": ("Văn tự", "Scripts"),
    "holding_unit": ("Đơn vị lưu giữ", "Holding unit"),
    "collection": ("Sưu tập", "Collection"),
    "heritage_status": ("Cấp công nhận di sản", "Heritage status"),
    "access_level": ("Mức độ tiếp cận", "Access level"),
    "page_text": ("Văn bản nhận dạng (OCR)", "Recognized text (OCR)"),
    "page_alto": (
        "Văn bản nhận dạng (OCR) kèm vị trí, ALTO",
        "Recognized text (OCR) with positions, ALTO",
    ),
    "contents": ("Mục lục", "Table of contents"),
}

HERITAGE_STATUS = {
    HeritageStatus.INVENTORIED: ("Đã kiểm kê", "Inventoried"),
    HeritageStatus.REGISTERED: ("Đã đăng ký", "Registered"),
    HeritageStatus.NATIONAL: (
        "Di sản tư liệu quốc gia",
        "National list of documentary heritage",
    ),
    HeritageStatus.MOW_ASIA_PACIFIC: (
        "Di sản tư liệu khu vực châu Á – Thái Bình Dương (Ký ức Thế giới)",
        "UNESCO Memory of the World (Asia-Pacific)",
    ),
    HeritageStatus.MOW_INTERNATIONAL: (
        "Di sản tư liệu thế giới (Ký ức Thế giới)",
        "UNESCO Memory of the World (International)",
    ),
}

ACCESS_LEVEL = {
    AccessLevel.PUBLIC: ("Công khai", "Public"),
    AccessLevel.CONDITIONAL: ("Tiếp cận có điều kiện", "Conditional"),
    AccessLevel.SECRET: ("Mật", "Secret"),
}


# Language codes as catalogued, named for readers of a manifest; a code
# not listed is shown as it is.
LANGUAGES = {
    "vi": ("Tiếng Việt", "Vietnamese"),
    "lzh": ("Hán văn", "Literary Chinese (Hán)"),
    "nom": ("Nôm", "Nôm"),
    "vi-Hani": ("Tiếng Việt viết chữ Nôm", "Vietnamese in Nôm script"),
    "zh": ("Tiếng Trung", "Chinese"),
    "fr": ("Tiếng Pháp", "French"),
    "en": ("Tiếng Anh", "English"),
}

# ISO 15924 script codes the catalog uses.
SCRIPTS = {
    "Hani": ("Chữ Hán (Hán, Nôm)", "Han characters (Hán, Nôm)"),
    "Latn": ("Chữ Quốc ngữ (Latinh)", "Latin (Quốc ngữ)"),
}


def named_list(codes, names):
    """A IIIF language map naming each code, joined by commas."""
    pairs = [names.get(code, (code, code)) for code in codes]
    return {
        "vi": [", ".join(vietnamese for vietnamese, _english in pairs)],
        "en": [", ".join(english for _vietnamese, english in pairs)],
    }


def language_map(pair):
    """Turn a (Vietnamese, English) pair into a IIIF language map."""
    vietnamese, english = pair
    return {"vi": [vietnamese], "en": [english]}
