"""The columns of a document inventory: one line per field of a heritage document.

A new field of :class:`~disan.catalog.models.HeritageDocument` becomes
importable and exportable by adding one :class:`Column` to
:data:`COLUMNS`. Headers are matched in English or Vietnamese, with or
without diacritics; the first Vietnamese name is the header written on
export and in templates. The columns of a file inventory are in
:mod:`~disan.catalog.importing.file_columns`.
"""

from dataclasses import dataclass

from disan.catalog.importing import values as v
from disan.catalog.models import AccessLevel, HeritageStatus, ReadingDirection
from disan.catalog.vocabularies import CarrierType, Ownership


@dataclass(frozen=True)
class Column:
    """One column: its model field, how a cell is read, its header names."""

    field: str
    read: object
    names: tuple
    required: bool = False
    # Heritage status changes need a decision on record (see
    # disan.catalog.actions.change_status); import sets it on new records only.
    create_only: bool = False

    @property
    def header(self):
        return self.names[0]


# A row-number column (STT, Số TT…), which every Vietnamese inventory has:
# accepted in either kind and its values ignored. "Số thứ tự văn bản" is
# not one: it is a document's ordinal in its file.
ROW_NUMBER_NAMES = ("STT", "Số TT", "TT", "No.", "No", "#", "Số thứ tự")

HERITAGE_SYNONYMS = {
    "inventoried": ["kiểm kê", "đã kiểm kê"],
    "registered": ["đăng ký", "đã đăng ký"],
    "national": ["quốc gia", "di sản tư liệu quốc gia"],
    "mow_asia_pacific": ["mow asia pacific", "khu vực châu á - thái bình dương"],
    "mow_international": ["mow international", "unesco", "di sản tư liệu thế giới"],
}
ACCESS_SYNONYMS = {
    "public": ["công khai", "mở"],
    "conditional": ["hạn chế", "có điều kiện"],
    "secret": ["mật", "tối mật", "tuyệt mật"],
}
DIRECTION_SYNONYMS = {
    "left-to-right": ["ltr", "trái sang phải"],
    "right-to-left": ["rtl", "phải sang trái"],
}
CARRIER_SYNONYMS = {
    "leaf": ["lá"],
    "bone": ["xương"],
    "wood": ["gỗ", "mộc bản"],
    "stone": ["đá", "bia đá"],
    "ceramic": ["gốm", "gốm sứ"],
    "paper": ["giấy", "giấy dó"],
    "cloth": ["vải", "lụa"],
    "metal": ["kim loại", "đồng"],
    "film": ["phim"],
    "photo": ["ảnh"],
    "recording": ["ghi âm", "băng đĩa"],
    "digital": ["số", "kỹ thuật số"],
    "other": ["khác"],
}
OWNERSHIP_SYNONYMS = {
    "state": ["nhà nước", "sở hữu toàn dân"],
    "collective": ["tập thể", "cộng đồng"],
    "private": ["tư nhân", "cá nhân"],
    "religious": ["tôn giáo", "cơ sở tôn giáo"],
}

# Free text: (field, length limit, Vietnamese header, other names).
_TEXT = [
    ("title", 1000, "Tiêu đề", "title", "tên", "tên tài liệu", "nhan đề"),
    ("original_title", 1000, "Tên gốc", "original title", "nhan đề gốc"),
    ("doc_type", 100, "Loại tài liệu", "type", "doc type", "loại", "thể loại"),
    ("description", 100_000, "Mô tả", "description", "ghi chú"),
    ("origin", 100_000, "Nguồn gốc", "origin"),
    ("provenance", 100_000, "Xuất xứ", "provenance"),
    ("creation_time", 255, "Thời gian hình thành", "creation time"),
    ("creation_manner", 100_000, "Cách thức hình thành", "creation manner"),
    ("custody_history", 100_000, "Quá trình lưu giữ", "custody history"),
    ("owner", 500, "Chủ sở hữu", "owner"),
    (
        "authenticity_note",
        100_000,
        "Tính xác thực",
        "authenticity",
        "authenticity note",
    ),
    ("rarity_note", 100_000, "Tính độc bản, quý hiếm", "rarity", "rarity note"),
    ("physical_condition", 100_000, "Tình trạng vật lý", "physical condition"),
    ("storage_location", 500, "Nơi bảo quản", "storage location", "vị trí lưu trữ"),
    ("document_number", 64, "Số văn bản", "document number", "số"),
    ("notation", 128, "Ký hiệu văn bản", "notation", "ký hiệu"),
    ("issuing_body", 500, "Cơ quan ban hành", "issuing body", "tác giả văn bản"),
    ("summary", 100_000, "Trích yếu", "summary", "trích yếu nội dung"),
    ("signer", 255, "Người ký", "signer"),
]

COLUMNS = (
    Column(
        "identifier",
        v.text(255),
        ("Mã tài liệu", "identifier", "id", "mã", "số hiệu", "mã số"),
        required=True,
    ),
    *(
        Column(field, v.text(limit), tuple(names), required=True)
        for field, limit, *names in _TEXT[:1]
    ),
    Column("date_written", v.written_date, ("Niên đại", "date", "date written")),
    Column("year_start", v.integer(-9999, 9999), ("Từ năm", "year start")),
    Column("year_end", v.integer(-9999, 9999), ("Đến năm", "year end")),
    Column(
        "languages",
        v.codes(v.language_names),
        ("Ngôn ngữ", "languages", "language"),
    ),
    Column("scripts", v.codes(v.script_names), ("Chữ viết", "scripts", "văn tự")),
    Column(
        "holding_unit",
        v.holding_unit,
        ("Đơn vị lưu giữ", "holding unit", "đơn vị", "nơi lưu giữ"),
    ),
    Column("collection", v.collection, ("Sưu tập", "collection", "bộ sưu tập")),
    Column(
        "heritage_status",
        v.choice(HeritageStatus, HERITAGE_SYNONYMS),
        ("Cấp di sản", "heritage status", "tình trạng di sản"),
        create_only=True,
    ),
    Column(
        "access_level",
        v.choice(AccessLevel, ACCESS_SYNONYMS),
        ("Mức truy cập", "access level", "access", "chế độ sử dụng"),
    ),
    Column(
        "reading_direction",
        v.choice(ReadingDirection, DIRECTION_SYNONYMS),
        ("Hướng đọc", "reading direction"),
    ),
    Column(
        "carrier_type",
        v.choice(CarrierType, CARRIER_SYNONYMS),
        ("Loại hình vật mang tin", "carrier type", "vật mang tin"),
    ),
    Column(
        "ownership",
        v.choice(Ownership, OWNERSHIP_SYNONYMS),
        ("Hình thức sở hữu", "ownership"),
    ),
    Column("archival_file", v.archival_file, ("Mã hồ sơ", "file code", "hồ sơ")),
    Column(
        "document_ordinal",
        v.integer(1, 9_999_999),
        ("Số thứ tự văn bản", "document ordinal", "ordinal", "stt văn bản"),
    ),
    Column(
        "document_type",
        v.text(16),
        ("Mã loại văn bản", "document type", "tên loại văn bản"),
    ),
    Column("issue_date", v.day, ("Ngày văn bản", "issue date", "ngày ban hành")),
    *(Column(field, v.text(limit), tuple(names)) for field, limit, *names in _TEXT[1:]),
)
