"""The columns of a file inventory (mục lục hồ sơ): one line per field of a file.

The file-level fields of Circular 05/2025/TT-BNV, as
:class:`~disan.catalog.models.ArchivalFile` keeps them. As for documents,
the first name is the Vietnamese header written on export and in
templates, the second the English one; any name is matched with or
without diacritics.

The fonds and series are given by their codes; the holding unit column
only says whose fonds it is, when two units number a fonds alike.
"""

from disan.catalog.importing import values as v
from disan.catalog.importing.columns import ACCESS_SYNONYMS, Column
from disan.catalog.models import AccessLevel
from disan.catalog.vocabularies import BackupStatus, Reliability, Retention

RETENTION_SYNONYMS = {
    "permanent": ["vĩnh viễn", "vv", "lâu dài"],
    **{code: [f"{code} năm", f"{code} years"] for code in ("70", "50", "30", "20")},
    "10": ["10 năm", "10 years"],
    "other": ["khác"],
}
RELIABILITY_SYNONYMS = {
    "born_digital": ["bản gốc điện tử", "điện tử", "born digital"],
    "digitized": ["số hóa", "số hoá", "digitized"],
    "mixed": ["hỗn hợp", "mixed"],
}
BACKUP_SYNONYMS = {
    "not_backed_up": ["chưa dự phòng", "chưa", "không"],
    "backed_up": ["đã dự phòng", "đã", "có"],
}

# The first name of each list is the one an export writes (see values.choice).
COUNT = v.integer(0, 2_147_483_647)

FILE_COLUMNS = (
    Column("file_code", v.text(100), ("Mã hồ sơ", "file code", "hồ sơ")),
    Column(
        "fonds",
        v.text(64),
        ("Mã phông", "fonds", "fonds code", "fonds number", "số phông", "phông"),
        required=True,
    ),
    Column(
        "series",
        v.text(64),
        ("Mã nhóm hồ sơ", "series", "series code", "nhóm hồ sơ"),
    ),
    Column(
        "holding_unit",
        v.existing_unit,
        ("Đơn vị lưu giữ", "holding unit", "đơn vị", "nơi lưu giữ"),
    ),
    Column(
        "agency_code",
        v.text(32),
        ("Mã định danh cơ quan", "agency code", "mã cơ quan", "mã định danh"),
    ),
    Column(
        "year",
        v.integer(0, 32767),
        ("Năm hình thành hồ sơ", "year", "năm hồ sơ", "năm hình thành"),
    ),
    Column(
        "file_number",
        v.text(32),
        ("Số và ký hiệu hồ sơ", "file number", "số hồ sơ", "số ký hiệu hồ sơ"),
    ),
    Column(
        "title",
        v.text(1000),
        ("Tiêu đề hồ sơ", "title", "tiêu đề", "tên hồ sơ"),
    ),
    Column(
        "retention",
        v.choice(Retention, RETENTION_SYNONYMS),
        ("Thời hạn bảo quản", "retention", "retention period"),
    ),
    Column(
        "retention_note",
        v.text(255),
        ("Thời hạn bảo quản khác", "retention note", "other retention period"),
    ),
    Column(
        "access_mode",
        v.choice(AccessLevel, ACCESS_SYNONYMS),
        ("Chế độ sử dụng", "access mode", "access", "mức truy cập", "access level"),
    ),
    Column(
        "languages",
        v.codes(v.language_names),
        ("Ngôn ngữ", "languages", "language"),
    ),
    Column(
        "date_written",
        v.written_date,
        ("Thời gian", "dates", "date", "niên đại", "thời gian như ghi"),
    ),
    Column("start_date", v.day, ("Thời gian bắt đầu", "start date", "từ ngày")),
    Column("end_date", v.day, ("Thời gian kết thúc", "end date", "đến ngày")),
    Column("keywords", v.words(255), ("Từ khóa", "keywords", "từ khoá")),
    Column(
        "document_count",
        COUNT,
        ("Tổng số văn bản", "document count", "số lượng văn bản"),
    ),
    Column("sheet_count", COUNT, ("Số lượng tờ", "sheet count", "số tờ")),
    Column("page_count", COUNT, ("Số lượng trang", "page count", "số trang")),
    Column(
        "physical_condition",
        v.text(500),
        ("Tình trạng vật lý", "physical condition"),
    ),
    Column("information_sign", v.text(255), ("Ký hiệu thông tin", "information sign")),
    Column(
        "reliability",
        v.choice(Reliability, RELIABILITY_SYNONYMS),
        ("Mức độ tin cậy", "reliability"),
    ),
    Column("paper_file_code", v.text(100), ("Mã hồ sơ giấy", "paper file code")),
    Column("backup_mode", v.boolean, ("Chế độ dự phòng", "backup mode", "backup")),
    Column(
        "backup_status",
        v.choice(BackupStatus, BACKUP_SYNONYMS),
        ("Tình trạng dự phòng", "backup status"),
    ),
    Column("note", v.text(100_000), ("Ghi chú", "note", "notes")),
)
