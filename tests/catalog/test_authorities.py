"""Authority records: merging duplicates keeps every link; place names."""

import datetime

import pytest

from disan.catalog.actions.merge_authorities import merge_authorities
from disan.catalog.exceptions import CatalogPermissionDenied, MergeError
from disan.catalog.models import Person, Place, PlaceName, Subject
from tests.catalog.conftest import make_document, make_file, make_staff

pytestmark = pytest.mark.django_db

MERGE_PERMS = ["change_person", "delete_person", "change_place", "delete_place"]


def test_merging_persons_moves_every_link_and_keeps_the_names():
    editor = make_staff("hong-nhung", perms=MERGE_PERMS)
    keep = Person.objects.create(name="Nguyễn Trãi", alternate_names=["Ức Trai"])
    dup = Person.objects.create(name="Nguyễn Trải", note="Nhập từ kiểm kê 1998")
    both = make_document("HN-1", "Quân trung từ mệnh tập")
    only_dup = make_document("HN-2", "Bình Ngô đại cáo")
    both.persons.add(keep, dup)
    only_dup.persons.add(dup)
    archival_file = make_file()
    archival_file.persons.add(dup)

    result = merge_authorities(keep, [dup], user=editor)

    assert result.merged_ids == [dup.pk]
    assert result.links_moved == 3
    assert not Person.objects.filter(pk=dup.pk).exists()
    assert list(both.persons.values_list("name", flat=True)) == ["Nguyễn Trãi"]
    assert list(only_dup.persons.values_list("name", flat=True)) == ["Nguyễn Trãi"]
    assert list(archival_file.persons.values_list("name", flat=True)) == ["Nguyễn Trãi"]
    keep.refresh_from_db()
    assert keep.alternate_names == ["Ức Trai", "Nguyễn Trải"]
    assert keep.note == "Nhập từ kiểm kê 1998"
    assert keep.history.first().history_user.username == "hong-nhung"


def test_merging_places_moves_children_and_drops_a_link_to_itself():
    editor = make_staff("hong-nhung", perms=MERGE_PERMS)
    keep = Place.objects.create(name="Hoàn Kiếm", kind="district")
    dup = Place.objects.create(name="Hoàn Kiếm (quận)", kind="district")
    keep.parent = dup
    keep.save()
    ward = Place.objects.create(name="Hàng Bạc", kind="ward", parent=dup)
    PlaceName.objects.create(place=dup, name="Quận Hoàn Kiếm")

    result = merge_authorities(keep, [dup], user=editor)

    ward.refresh_from_db()
    keep.refresh_from_db()
    assert ward.parent_id == keep.pk
    assert keep.parent_id is None
    assert list(keep.names.values_list("name", flat=True)) == ["Quận Hoàn Kiếm"]
    assert result.links_moved == 2


def test_merge_needs_change_and_delete_rights_and_records_of_one_kind():
    keep = Person.objects.create(name="Lê Quý Đôn")
    dup = Person.objects.create(name="Lê Quí Đôn")
    with pytest.raises(CatalogPermissionDenied) as caught:
        merge_authorities(keep, [dup], user=make_staff("khach"))
    assert str(caught.value) == "khach may not merge person records."
    editor = make_staff("hong-nhung", perms=MERGE_PERMS)
    with pytest.raises(MergeError):
        merge_authorities(
            keep, [Subject.objects.create(name="Lê Quý Đôn")], user=editor
        )
    assert Person.objects.count() == 2


def test_place_name_on_a_day_follows_its_validity_dates():
    place = Place.objects.create(name="Phường Hoàn Kiếm", kind="ward")
    PlaceName.objects.create(
        place=place,
        name="Quận Hoàn Kiếm",
        valid_from=datetime.date(1981, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    assert place.name_on(datetime.date(2000, 5, 1)) == "Quận Hoàn Kiếm"
    assert place.name_on(datetime.date(2025, 7, 1)) == "Phường Hoàn Kiếm"
