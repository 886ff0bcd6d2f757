"""Download names and Content-Disposition headers for Vietnamese titles."""

from disan.portal.downloads import attachment_header, download_filename


def test_filename_keeps_vietnamese_title_in_nfc():
    nfd_title = "Ha\u0300 Nô\u0323i đi\u0323a dư"
    assert download_filename(nfd_title, 7) == "Hà Nội địa dư - 007.jpg"


def test_filename_drops_characters_file_systems_refuse():
    assert (
        download_filename('Sắc/phong: "Thăng\\Long"?\n', 12)
        == "Sắc phong Thăng Long - 012.jpg"
    )


def test_filename_of_a_title_of_nothing_but_separators():
    assert download_filename("///", 1) == "page - 001.jpg"


def test_filename_keeps_han_characters_outside_the_bmp():
    assert download_filename("𡨸喃 書", 3) == "𡨸喃 書 - 003.jpg"


def test_header_has_ascii_fallback_and_rfc5987_name():
    assert attachment_header("Đại Nam nhất thống chí - 001.jpg") == (
        'attachment; filename="Dai Nam nhat thong chi - 001.jpg"; '
        "filename*=UTF-8''%C4%90%E1%BA%A1i%20Nam%20nh%E1%BA%A5t%20th%E1%BB%91ng"
        "%20ch%C3%AD%20-%20001.jpg"
    )


def test_header_fallback_replaces_han_characters():
    assert attachment_header("𡨸喃 - 001.jpg") == (
        'attachment; filename="_ - 001.jpg"; '
        "filename*=UTF-8''%F0%A1%A8%B8%E5%96%83%20-%20001.jpg"
    )
