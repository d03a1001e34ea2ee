"""The scorecard's written rules: each threshold, falling, no data, a perspective's status from its figures,
the NPS arithmetic, the figures read from a client's records as of a day, and the portfolio's ranking."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from companion.core import scorecard as sc
from companion.core.surveys import nps as survey_nps
from companion.model.errors import NotFoundError, ValidationError
from companion.model.kinds import SUCCESS_FACTORS
from tests.core.scorecard_records import ScorecardRecords

TODAY = dt.date(2026, 12, 2)


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("rule", "value", "status"),
    [
        ("nps", 30, "good"), ("nps", 29.9, "watch"), ("nps", 0, "watch"), ("nps", -0.1, "poor"),
        ("csat", 4.0, "good"), ("csat", 3.99, "watch"), ("csat", 3.0, "watch"), ("csat", 2.99, "poor"),
        ("rating", 4, "good"), ("rating", 3, "watch"), ("rating", 2, "poor"),
        ("sentiment", 0.3, "good"), ("sentiment", 0.29, "watch"), ("sentiment", 0, "watch"),
        ("sentiment", -0.01, "poor"),
        ("coverage", 75, "good"), ("coverage", 74.9, "watch"), ("coverage", 50, "watch"),
        ("coverage", 49.9, "poor"),
        ("nps", None, "unknown"), ("rating", None, "unknown"),
    ],
)  # fmt: skip
def test_each_threshold(rule, value, status):
    assert sc.RULES[rule].status(value) == status


@pytest.mark.parametrize(
    ("rule", "before", "latest", "falls"),
    [
        ("nps", 40, 29.9, True), ("nps", 40, 30, False),
        ("csat", 4.2, 3.6, True), ("csat", 4.2, 3.7, False),
        ("rating", 5, 4, True), ("rating", 4, 4, False),
        ("sentiment", 0.5, 0.25, True), ("sentiment", 0.5, 0.3, False),
        ("coverage", 100, 0, False),
    ],
)  # fmt: skip
def test_falling_is_a_drop_beyond_the_rules_step(rule, before, latest, falls):
    trend = (sc.Point("2026-07-01", before), sc.Point("2026-10-01", latest))
    assert sc.RULES[rule].falls(trend) is falls
    assert sc.RULES[rule].falls(trend[-1:]) is False


def test_every_success_factor_is_named_and_on_one_perspective():
    placed = [f for factors in sc.PERSPECTIVE_FACTORS.values() for f in factors]
    assert sorted(placed) == sorted(sc.FACTOR_LABELS) == sorted(SUCCESS_FACTORS)


@pytest.fixture
def data():
    return ScorecardRecords()


def _card(workspace, data, client, today=TODAY):
    data.write(workspace)
    return sc.scorecard(workspace, client_id=client, today=today)


def _figure(card, perspective, key):
    return next(f for f in card.perspective(perspective).figures if f.key == key)


def test_a_client_without_records_has_no_data_anywhere(workspace, data):
    card = _card(workspace, data, data.client("Fjordline"))
    assert [p.key for p in card.perspectives] == list(sc.PERSPECTIVES)
    assert {p.status for p in card.perspectives} == {"unknown"}
    assert card.perspective("financial").reason == "No figure has data yet."
    nps = _figure(card, "customer", "nps")
    assert (nps.value, nps.shown, nps.status, nps.falling) == (None, "—", "unknown", False)


def test_nps_is_promoters_minus_detractors_by_quarter_and_by_person(workspace, data):
    client = data.client("Halvorsen Offshore")
    ingrid, per = data.person(client, "Ingrid Dahl"), data.person(client, "Per Lunde")
    # Last quarter: 10, 9, 8, 7, 6, 0 → 2 promoters, 2 detractors of 6 = 0. This quarter: 9 and 3 → 0.
    for score, who in ((10, ingrid), (9, per), (8, None), (7, None), (6, None), (0, None)):
        data.response(client, "2026-08-15", nps=score, contact=who)
    data.response(client, "2026-11-20", nps=3, contact=ingrid, csat=2)
    data.response(client, "2026-11-21", nps=9, csat=5)
    data.response(client, _ago(-3), nps=0)  # after the day asked about: not counted
    card = _card(workspace, data, client)
    nps = _figure(card, "customer", "nps")
    scores = [10, 9, 8, 7, 6, 0, 3, 9]
    assert nps.value == survey_nps(scores) == 0.0
    assert nps.shown == "+0"
    assert _figure(card, "customer", "csat").shown == "3.5 of 5"
    assert [(p.on, p.value) for p in nps.trend] == [("2026-07-01", 0.0), ("2026-10-01", 0.0)]
    assert {(name, shown) for _id, name, _v, shown in nps.by_person} == {
        ("Ingrid Dahl", "3"),
        ("Per Lunde", "9"),
    }
    assert len(nps.sources) == 8
    assert "NPS response of Ingrid Dahl, 2026-11-20" in {s.label for s in nps.sources}
    csat = _figure(card, "customer", "csat")
    assert (csat.value, csat.shown, csat.status) == (3.5, "3.5 of 5", "watch")


def test_nps_and_csat_are_valued_over_the_last_four_quarters_and_older_answers_stay_in_the_trend(
    workspace, data
):
    client = data.client("Halvorsen Offshore")
    data.response(client, "2025-09-30", nps=0, csat=1)  # 2025-Q3: five quarters back, history only
    data.response(client, "2026-01-02", nps=10, csat=5)  # 2026-Q1: the oldest of the last four
    data.response(client, "2026-10-02", nps=9, csat=4)
    card = _card(workspace, data, client)
    nps, csat = _figure(card, "customer", "nps"), _figure(card, "customer", "csat")
    assert (nps.value, csat.value) == (100.0, 4.5)
    assert [p.on for p in nps.trend] == ["2025-07-01", "2026-01-01", "2026-10-01"]
    assert nps.trend[0].value == -100.0 and "last four quarters" in nps.rule


def test_a_quarter_falling_more_than_ten_points_marks_nps_falling_and_the_customer_perspective_watch(
    workspace, data
):
    client = data.client("Halvorsen Offshore")
    for score in (10, 10, 10, 10):
        data.response(client, "2026-08-01", nps=score)
    for score in (10, 10, 10, 7):  # +75: still good, but 25 points below the quarter before
        data.response(client, "2026-11-01", nps=score)
    card = _card(workspace, data, client)
    nps = _figure(card, "customer", "nps")
    assert (nps.status, nps.falling) == ("good", True)
    customer = card.perspective("customer")
    assert customer.status == "watch"
    assert customer.reason == "Falling: NPS."


def test_the_perspective_rule_from_its_figures(workspace, data):
    client = data.client("Halvorsen Offshore")
    # Internal process: our review rating 2 (poor) and four factors 5, 5, 5, 4 (good): 1 of 5 poor → watch.
    data.review(client, "2026-10-01", ours=2, theirs=5)
    for factor in ("focal_point", "early_warning", "value_for_money"):
        data.factor(client, factor, "2026-07-01", 5)
    data.factor(client, "teamwork", "2026-07-01", 4)
    # Learning and growth: innovation 1 (poor), skills transfer 5: 1 of 2 poor, a third or more → poor.
    data.factor(client, "innovation", "2026-07-01", 1)
    data.factor(client, "skills_transfer", "2026-07-01", 5)
    card = _card(workspace, data, client)
    internal = card.perspective("internal_process")
    assert internal.status == "watch"
    assert internal.reason == "1 of 5 figures with data poor: Our review rating."
    learning = card.perspective("learning_and_growth")
    assert learning.status == "poor"
    assert learning.reason == "1 of 2 figures with data poor: Innovation."
    assert card.perspective("customer").status == "good"  # their rating 5, the one figure with data
    assert card.perspective("customer").reason == "The one figure with data is good."


def test_objectives_and_measures_of_the_active_plan_only(workspace, data):
    client = data.client("Halvorsen Offshore")
    plan = data.plan(client)
    on_track = data.objective(plan, "financial", "on_track", "Grow the frame")
    data.measure(
        on_track, baseline=10, target=30, readings=[("2026-06-01", 20), ("2026-09-01", 31)], name="Met"
    )
    data.measure(on_track, baseline=10, target=30, readings=[("2026-09-01", 20)], name="Half way")
    data.measure(on_track, baseline=10, target=30, readings=[("2026-09-01", 19)], name="Short")
    data.objective(plan, "financial", "dropped", "Dropped one")
    data.objective(plan, "customer", "off_track", "Win back trust")
    old = data.objective(data.plan(client, status="closed"), "financial", "off_track", "Last year")
    data.measure(old, baseline=0, target=1, readings=[("2025-01-01", 0)], name="Old")
    card = _card(workspace, data, client)
    financial = card.perspective("financial")
    assert [(f.label, f.status) for f in financial.figures] == [
        ("Objectives", "good"),
        ("Half way", "watch"),
        ("Met", "good"),
        ("Short", "poor"),
    ]
    objectives = financial.figures[0]
    assert objectives.shown == "1 of 1 on track or achieved"
    met = next(f for f in financial.figures if f.label == "Met")
    assert [p.value for p in met.trend] == [20, 31]
    assert met.shown == "31% (target 30%)"
    assert financial.status == "watch"  # 1 of 4 poor: less than a third
    assert financial.reason == "1 of 4 figures with data poor: Short; watch: Half way."
    assert card.perspective("customer").figures[0].status == "poor"


def test_decision_maker_coverage_and_sentiment_as_of_the_day(workspace, data):
    client = data.client("Halvorsen Offshore")
    met = data.person(client, "Ingrid Dahl", role="decision_maker")
    data.person(client, "Per Lunde", role="economic_buyer")
    data.person(client, "Ola Berg", role="decision_maker", ended=_ago(10))  # left: not counted
    data.person(client, "Kari Moe", role="user")  # no deciding role
    data.interaction(client, _ago(30), sentiment="positive", people=(met,))
    data.interaction(client, _ago(60), sentiment="positive")
    data.interaction(client, _ago(90), sentiment="negative")
    data.interaction(client, _ago(170), sentiment="neutral")
    data.interaction(client, _ago(200), sentiment="negative")  # before the last 180 days
    card = _card(workspace, data, client)
    coverage = _figure(card, "learning_and_growth", "dm_coverage")
    assert (coverage.value, coverage.shown, coverage.status) == (50.0, "1 of 2 met (50%)", "watch")
    assert [s.label for s in coverage.sources] == ["Per Lunde, not met in 90 days"]
    sentiment = _figure(card, "customer", "sentiment")
    assert sentiment.value == (2 - 1) / 4
    assert (sentiment.shown, sentiment.status, len(sentiment.sources)) == ("+0.25", "watch", 4)
    # Forty days earlier Ingrid's interaction had not happened yet.
    earlier = sc.scorecard(workspace, client_id=client, today=TODAY - dt.timedelta(days=40))
    assert _figure(earlier, "learning_and_growth", "dm_coverage").value == 0.0


def test_an_unknown_client_is_named_in_the_error(workspace):
    with pytest.raises(NotFoundError, match="no client with the id nobody"):
        sc.scorecard(workspace, client_id="nobody", today=TODAY)


def _portfolio_data(data):
    good = data.client("Bergen Ferries", status="active")
    data.review(good, "2026-10-01", ours=5, theirs=5)
    poor = data.client("Aker Yards", status="active")
    data.review(poor, "2026-10-01", ours=1, theirs=1)
    also_good = data.client("Alta Kraft", status="active")
    data.review(also_good, "2026-10-01", ours=5, theirs=5)
    data.client("Cold Lead", status="prospect")  # nothing recorded: last
    gone = data.client("Former Fisk", status="former")
    data.review(gone, "2026-10-01", ours=5, theirs=5)
    mixed = data.client("Dovre Data", status="active")
    data.review(mixed, "2026-10-01", ours=1, theirs=5)


def test_the_portfolio_ranks_best_first_ties_by_name_no_data_last_and_leaves_former_clients_out(
    workspace, data
):
    _portfolio_data(data)
    data.write(workspace)
    rows = sc.portfolio(workspace, today=TODAY)
    assert [r.name for r in rows] == ["Alta Kraft", "Bergen Ferries", "Dovre Data", "Aker Yards", "Cold Lead"]
    assert rows[0].scores == {"financial": None, "customer": 100.0, "internal_process": 100.0,
                              "learning_and_growth": None}  # fmt: skip
    assert rows[0].overall == 100.0 and rows[-1].overall is None
    assert rows[2].statuses["internal_process"] == "poor" and rows[2].overall == 50.0
    by_internal = sc.portfolio(workspace, today=TODAY, by="internal_process")
    assert [r.name for r in by_internal][:2] == ["Alta Kraft", "Bergen Ferries"]
    assert [r.name for r in by_internal][2:4] == ["Aker Yards", "Dovre Data"]  # both 0: by name
    with pytest.raises(ValidationError, match="Rank by one of: financial"):
        sc.portfolio(workspace, by="mood")


def test_the_portfolio_agrees_with_each_clients_scorecard(workspace, data):
    client = data.client("Halvorsen Offshore", status="active")
    for n in range(6):
        data.response(client, f"2026-0{n + 4}-10", nps=n * 2, csat=n % 5 + 1)
        data.review(client, f"2026-0{n + 4}-12", ours=5 - n % 3, theirs=n % 5 + 1)
    objective = data.objective(data.plan(client), "financial", "at_risk")
    data.measure(objective, baseline=0, target=10, readings=[("2026-05-01", 4), ("2026-06-01", 6)])
    data.interaction(client, _ago(5), sentiment="negative")
    card = _card(workspace, data, client)
    (row,) = sc.portfolio(workspace, today=TODAY)
    assert row.statuses == {p.key: p.status for p in card.perspectives}
    assert row.scores == {p.key: sc.perspective_score(p) for p in card.perspectives}


def test_portfolio_csv_has_a_row_per_client_in_rank_order(workspace, data):
    _portfolio_data(data)
    data.write(workspace)
    table = list(csv.reader(io.StringIO(sc.portfolio_csv(sc.portfolio(workspace, today=TODAY)))))
    assert table[0] == [
        "rank", "client", "owner", "financial status", "financial score", "customer status", "customer score",
        "internal_process status", "internal_process score", "learning_and_growth status",
        "learning_and_growth score", "overall",
    ]  # fmt: skip
    assert table[1] == [
        "1",
        "Alta Kraft",
        "",
        "No data",
        "",
        "Good",
        "100",
        "Good",
        "100",
        "No data",
        "",
        "100",
    ]
    assert table[-1][:2] == ["5", "Cold Lead"] and table[-1][-1] == ""


def test_the_portfolio_reads_the_same_few_queries_for_any_number_of_clients(workspace, data, monkeypatch):
    from companion.store import scorecard_facts

    reads: list[str] = []
    real = scorecard_facts._rows
    monkeypatch.setattr(
        scorecard_facts, "_rows", lambda conn, sql, params: reads.append(sql) or real(conn, sql, params)
    )
    _portfolio_data(data)
    data.write(workspace)
    sc.portfolio(workspace, today=TODAY)
    few = len(reads)
    more = ScorecardRecords()
    for n in range(20):
        client = more.client(f"Client {n}", status="active")
        more.review(client, "2026-10-01", ours=n % 5 + 1)
        more.response(
            client, "2026-10-02", nps=n % 11, contact=more.person(client, f"P{n}", role="decision_maker")
        )
    more.write(workspace)
    reads.clear()
    assert len(sc.portfolio(workspace, today=TODAY)) == 25
    assert len(reads) == few <= 12


def test_a_value_is_shown_with_every_digit_it_is_judged_by(workspace, data):
    client = data.client("Halvorsen Offshore")
    for score in (10, 10, 10, 9, 7, 8, 6, 6, 5, 3, 0):  # 4 promoters, 5 detractors of 11: -9.09…
        data.response(client, "2026-11-01", nps=score)
    people = [
        data.person(client, name, role="decision_maker") for name in ("Ingrid Dahl", "Per Lunde", "Ola Berg")
    ]
    data.interaction(client, _ago(3), people=tuple(people[:2]))
    card = _card(workspace, data, client)
    nps = _figure(card, "customer", "nps")
    assert (nps.value, nps.shown, nps.status) == (-9.1, "-9.1", "poor")
    coverage = _figure(card, "learning_and_growth", "dm_coverage")
    assert (coverage.value, coverage.shown, coverage.status) == (66.7, "2 of 3 met (66.7%)", "watch")
