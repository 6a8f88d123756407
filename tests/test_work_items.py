"""``kernel.work.work_item``: how every app's "My work" row reads its one date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from kernel.work import WorkItem, work_item


def test_a_deadline_is_late_only_once_its_day_has_passed():
    today = timezone.localdate()
    for due, late in (
        (today - timedelta(days=1), True),
        (today, False),
        (today + timedelta(1), False),
    ):
        item = work_item("T", "/t/", "d", due=due, label="Reply due")
        assert item == WorkItem("T", "/t/", "d", when=due, when_label="Reply due", late=late)


def test_a_moment_reads_as_its_local_day_and_is_never_late(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 20:00 UTC on 1 March is already 2 March in Beijing.
    moment = datetime(2020, 3, 1, 20, 0, tzinfo=UTC)
    item = work_item("T", "/t/", on=moment, label="Sent back")
    assert (item.when, item.when_label, item.late) == (
        datetime(2020, 3, 2).date(),
        "Sent back",
        False,
    )


def test_a_row_without_a_date_has_no_label():
    for dated in ({"due": None}, {"on": None}, {}):
        item = work_item("T", "/t/", label="Reply due", **dated)
        assert (item.when, item.when_label, item.late) == (None, "", False)
