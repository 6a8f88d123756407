"""Every scorecard figure against a city built with known dates (see conftest.py)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from audit.services import record
from sharing.models import Grant

from .conftest import NOW, PERIOD


@pytest.fixture
def city(city_once, db):
    """The city, built once for this module: its tests compute figures (what they write is
    rolled back after each test)."""
    return city_once


def card_of(city, department, period=PERIOD, now=NOW, max_level=4):
    cards = scorecards_compute(max_level=max_level, period=parse_period(period), now=now)
    return next(c for c in cards if c.department == department), cards


def test_catalog_coverage(city):
    card, _cards = card_of(city, city.a)
    # 8 freshness + 6 requested + 4 corrected + 4 granted resources, published; 2 items each.
    assert card.resources_published == 22
    assert card.items_published == 44
    assert card.resources_waiting == 1  # submitted for review; the draft is not counted
    assert card.scores["catalog"] == pytest.approx(100 * 22 / 23, abs=0.1)


def test_department_without_catalog_scores_zero_for_coverage(city):
    card, _cards = card_of(city, city.c)
    assert card.resources_published == 0
    assert not card.has_catalog
    assert card.scores["catalog"] == 0.0


def test_freshness_on_time_late_and_missing(city):
    card, _cards = card_of(city, city.a)
    assert card.freshness_scope == 7  # the irregular ones are left out
    assert (card.fresh_on_time, card.fresh_late, card.fresh_missing) == (3, 2, 2)
    assert card.scores["freshness"] == pytest.approx(42.9)


def test_freshness_of_a_quarter_moves_the_window(city):
    # At the end of Q1 (2026-04-01): only the yearly resource (updated 03-01) is on cycle.
    card, _cards = card_of(city, city.a, period="2026-Q1")
    assert card.fresh_on_time == 1
    # Updated only after the quarter (12-31, 12-30, 12-05, 2027-01-05): late; the one never
    # updated and the one updated in 2025-12 are missing.
    assert card.fresh_late == 4
    assert card.fresh_missing == 2


def test_requests_received_answered_and_overdue(city):
    card, _cards = card_of(city, city.a)
    assert card.requests_received == 5  # r5 was submitted in 2025
    assert card.requests_answered == 3
    assert card.requests_in_time == 2  # r1 and r3
    assert card.requests_overdue == 2  # r2 answered late, r4 unanswered past due
    assert card.requests_open == 2  # r4 and r6
    # Working days to answer: r1 2 (across the National Day holiday), r2 14, r3 2.
    assert card.median_answer_days == 2.0
    assert card.requests_approved == 1
    assert card.requests_rejected == 2
    assert card.approval_rate == pytest.approx(100 / 3)
    assert card.rejections_unfounded == 1  # r2's "不同意提供" cites no law
    # In time ÷ (answered + unanswered past due) = 2 ÷ 4.
    assert card.scores["timeliness"] == 50.0


def test_working_days_across_the_national_day_holiday(city):
    from accountability.selectors.facts import REQUEST_FIELDS, classify_request
    from sharing.models import ShareRequest

    row = ShareRequest.objects.filter(pk=city.requests["r1"].pk).values(*REQUEST_FIELDS).get()
    facts = classify_request(row, NOW)
    # 2026-09-30 → 2026-10-09: 1–7 October are off, so 2 working days (8th and 9th), not 7.
    assert facts.answer_days == 2
    assert facts.in_time and not facts.overdue
    # At the end of September it was open, and not overdue: the deadline lies after the holiday.
    card, _cards = card_of(city, city.a, period="2026-09")
    assert (card.requests_received, card.requests_open, card.requests_overdue) == (1, 1, 0)
    assert card.median_answer_days is None


def test_corrections_open_overdue_and_median(city):
    card, _cards = card_of(city, city.a)
    assert card.corrections_filed == 4
    assert card.corrections_open == 2
    assert card.corrections_overdue == 2  # c2 answered late, c3 open past due
    assert card.corrections_answered == 2
    assert card.corrections_in_time == 1
    # 2 and 20 working days (the Dragon Boat Festival on 06-19 is off).
    assert card.median_correction_days == 11.0
    assert card.scores["corrections"] == pytest.approx(100 / 3, abs=0.1)


def test_use_of_its_data_and_own_use(city):
    a, _cards = card_of(city, city.a)
    assert a.consumer_departments == 2  # 乙 (g1, r1's grant) and 丙 (g2); g3 revoked, g4 ran out
    assert a.resources_in_use == 3
    b, _cards = card_of(city, city.b)
    assert (b.grants_held, b.providers_used) == (2, 1)
    assert b.scores["reuse"] == 100.0
    c, _cards = card_of(city, city.c)
    assert c.grants_held == 1


def test_a_revoked_grant_was_in_force_before_its_revocation(city):
    a, _cards = card_of(city, city.a, period="2026-11")
    # At 2026-12-01 00:00 g3 is not yet revoked (revoked at 10:00) and g4 has run out.
    assert a.consumer_departments == 2
    assert a.resources_in_use == 4  # g1, g2, g3 and r1's grant


def test_reads_come_from_the_audit_trail(city, monkeypatch):
    # Reads are recorded now, so this figure is evaluated on the real clock.
    monkeypatch.setattr("accountability.periods.clock", timezone.now)
    today = timezone.localdate()
    grant = Grant.objects.filter(department=city.b).first()
    for _ in range(3):
        record(
            actor=city.users["b_staff"],
            action="data.read",
            obj=grant.resource,
            details={"provider": city.a.pk, "rows": 10},
        )
    record(
        actor=city.users["b_staff"], action="share_request.view", details={"provider": city.a.pk}
    )
    a, _cards = card_of(city, city.a, period=str(today.year), now=None)
    b, _cards = card_of(city, city.b, period=str(today.year), now=None)
    assert a.reads == 3
    assert b.own_reads == 3
    assert a.own_reads == 0


def test_overall_score_uses_the_weights_in_settings(city, settings):
    settings.PORTAL_SCORE_WEIGHTS = {
        "catalog": 0,
        "freshness": 1,
        "timeliness": 0,
        "corrections": 0,
        "use": 0,
        "reuse": 0,
    }
    a, cards = card_of(city, city.a)
    assert a.overall == a.scores["freshness"]
    # Ranked by overall score, best first, each rank once.
    assert [c.rank for c in cards] == list(range(1, len(cards) + 1))
    assert all(x.overall >= y.overall for x, y in itertools.pairwise(cards))


def test_clearance_removes_what_the_viewer_may_not_see(city):
    from accounts.models import Level
    from catalog.models import Resource

    Resource.objects.filter(pk=city.resources["daily_on_time"].pk).update(level=Level.L4)
    a, _cards = card_of(city, city.a, max_level=3)
    assert a.resources_published == 21
    assert a.fresh_on_time == 2


def test_resources_past_validity_count_the_departments_published_ones_only(city):
    from datetime import date

    from accountability.selectors.dashboard import drilldown_resources
    from catalog.models import Resource

    published_a = list(Resource.objects.filter(provider=city.a, status="published").order_by("pk"))
    past, last_day = published_a[0], published_a[1]
    # The period is taken at 2027-01-01: a date before it is past, the day itself is not.
    Resource.objects.filter(pk=past.pk).update(valid_until=date(2026, 12, 28))
    Resource.objects.filter(pk=last_day.pk).update(valid_until=date(2027, 1, 1))
    # Not counted for A: its submitted entry, and department B's expired resource.
    Resource.objects.filter(provider=city.a, status="submitted").update(
        valid_until=date(2026, 1, 1)
    )
    other = Resource.objects.filter(provider=city.b, status="published").first()
    Resource.objects.filter(pk=other.pk).update(valid_until=date(2026, 6, 30))

    card, cards = card_of(city, city.a)
    assert card.resources_expired == 1
    card_b = next(c for c in cards if c.department == city.b)
    assert card_b.resources_expired == 1
    assert {c.resources_expired for c in cards if c.department not in (city.a, city.b)} == {0}
    # No weight changes: the scores are those of the city without validity dates.
    Resource.objects.update(valid_until=None)
    unchanged, _cards = card_of(city, city.a)
    assert unchanged.overall == card.overall and unchanged.resources_expired == 0
    Resource.objects.filter(pk=past.pk).update(valid_until=date(2026, 6, 1))
    # The drill-down (taken today, whatever day that is) lists the same resource.
    coordinator = city.users["coordinator"]
    listed = drilldown_resources(
        user=coordinator, period=parse_period(PERIOD), kind="expired", department_id=city.a.pk
    )
    assert [r.pk for r in listed] == [past.pk]
