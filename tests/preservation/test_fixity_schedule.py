"""The periodic audit covers the store once per interval, a slice per run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disan.preservation import schedule
from disan.preservation.models import ObjectFixity
from disan.preservation.tasks import periodic_audit

pytestmark = pytest.mark.django_db

WEEK = 7 * 24 * 3600


def test_slice_covers_the_store_once_per_interval():
    assert schedule.period_seconds(WEEK) == 3600
    assert schedule.slice_size(1000, WEEK) == 6
    assert schedule.slice_size(1000, WEEK) * 168 >= 1000
    assert schedule.slice_size(5, WEEK) == 1
    assert schedule.slice_size(0, WEEK) == 0
    assert schedule.slice_size(1000, 0) == 0
    # A short interval runs every minute at least, and never beyond the store.
    assert schedule.period_seconds(600) == 60
    assert schedule.slice_size(30, 600) == 3
    assert schedule.slice_size(3, 60) == 3


def test_due_objects_are_never_audited_first_then_oldest(settings):
    settings.DISAN_AUDIT_INTERVAL = 600
    now = timezone.now()
    ids = [f"tài liệu {n:02d}" for n in range(30)]
    for n, object_id in enumerate(ids[:28]):
        ObjectFixity.objects.create(
            object_id=object_id, last_audit=now - timedelta(minutes=n)
        )

    assert schedule.due_objects(ids) == ["tài liệu 28", "tài liệu 29", "tài liệu 27"]


def test_tick_queues_one_run_per_period_whatever_the_workers(settings):
    settings.DISAN_AUDIT_INTERVAL = WEEK
    (settings.DISAN_HOME / "run").mkdir()
    queued = []

    assert schedule.tick(lambda: queued.append(1), now=1_000_000) is True
    assert schedule.tick(lambda: queued.append(1), now=1_000_000 + 3599) is False
    assert schedule.tick(lambda: queued.append(1), now=1_000_000 + 3600) is True
    assert queued == [1, 1]

    settings.DISAN_AUDIT_INTERVAL = 0
    assert schedule.tick(lambda: queued.append(1), now=9_000_000) is False


def test_periodic_task_audits_the_due_slice(store, source, settings):
    settings.DISAN_AUDIT_INTERVAL = 600  # ten-minute interval: 1 run = 1/10
    for n in range(12):
        store.put(
            f"sắc phong {n:02d}",
            [(source(f"{n}.jpg", b"%d" % n * 10), "tờ.jpg")],
            message="Nhập kho",
            agent="Phạm Văn Nam",
        )

    assert periodic_audit() == 2
    assert periodic_audit() == 2
    audited = ObjectFixity.objects.exclude(last_audit=None)
    assert sorted(audited.values_list("object_id", flat=True)) == [
        "sắc phong 00",
        "sắc phong 01",
        "sắc phong 02",
        "sắc phong 03",
    ]
