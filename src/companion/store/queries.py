"""Read-only queries that span kinds (last contact per person...), answered by SQL in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from companion.store.schema import KIND_TABLES


def last_contact_dates(conn: sa.Connection, contact_ids: list[str] | None = None) -> dict[str, str]:
    """The date of each person's latest live interaction, by contact id."""
    interaction = KIND_TABLES["interaction"]
    member = sa.func.json_each(interaction.c.contact_ids).table_valued("value").alias("member")
    query = (
        sa.select(member.c.value, sa.func.max(interaction.c.date))
        .select_from(interaction.join(member, sa.true()))
        .where(interaction.c.deleted_at.is_(None))
        .group_by(member.c.value)
    )
    if contact_ids is not None:
        query = query.where(member.c.value.in_(contact_ids))
    return {row[0]: row[1] for row in conn.execute(query)}


def interaction_ids_involving(
    conn: sa.Connection, contact_ids: list[str], *, client_id: str | None = None
) -> list[str]:
    """Live interactions any of these people took part in (at one client if given), newest first."""
    interaction = KIND_TABLES["interaction"]
    member = sa.func.json_each(interaction.c.contact_ids).table_valued("value").alias("member")
    query = (
        sa.select(interaction.c.id)
        .select_from(interaction.join(member, sa.true()))
        .where(interaction.c.deleted_at.is_(None), member.c.value.in_(contact_ids))
        .group_by(interaction.c.id)
        .order_by(sa.func.max(interaction.c.date).desc(), interaction.c.id)
    )
    if client_id is not None:
        query = query.where(interaction.c.client_id == client_id)
    return [row[0] for row in conn.execute(query)]


def current_position_holders(conn: sa.Connection) -> dict[str, list[str]]:
    """Client ids where each person holds a live, unended position, by contact id."""
    position = KIND_TABLES["position"]
    query = sa.select(position.c.contact_id, position.c.client_id).where(
        position.c.deleted_at.is_(None), position.c.ended.is_(None)
    )
    holders: dict[str, list[str]] = {}
    for contact_id, client_id in conn.execute(query):
        holders.setdefault(contact_id, []).append(client_id)
    return holders


_OVERDUE = """
WITH holders AS (
    SELECT contact_id, min(client_id) AS client_id FROM position
    WHERE deleted_at IS NULL AND ended IS NULL GROUP BY contact_id
), last AS (
    SELECT member.value AS contact_id, max(i.date) AS seen
    FROM interaction AS i, json_each(i.contact_ids) AS member
    WHERE i.deleted_at IS NULL GROUP BY member.value
), due AS (
    SELECT c.id, c.name, c.visit_frequency_days AS every, last.seen, holders.client_id,
           coalesce(date(last.seen, '+' || c.visit_frequency_days || ' days'), :today) AS due
    FROM contact AS c
    JOIN holders ON holders.contact_id = c.id
    LEFT JOIN last ON last.contact_id = c.id
    WHERE c.deleted_at IS NULL AND c.visit_frequency_days IS NOT NULL
)
"""


def overdue_contacts(conn: sa.Connection, *, today: str, limit: int) -> tuple[list[tuple], int]:
    """People due for contact by their own rhythm, most overdue first (at most `limit`), and how many in all.

    Rows are (id, name, every, last seen or None, client id, due date). Done in SQL so that
    100,000 people never become 100,000 Python objects.
    """
    params = {"today": today, "limit": limit}
    rows = conn.execute(
        sa.text(
            _OVERDUE + "SELECT id, name, every, seen, client_id, due FROM due WHERE due <= :today"
            " ORDER BY due, name LIMIT :limit"
        ),
        params,
    ).all()
    total = conn.execute(
        sa.text(_OVERDUE + "SELECT count(*) FROM due WHERE due <= :today"), params
    ).scalar_one()
    return [tuple(row) for row in rows], total


def worklist_contacts(
    conn: sa.Connection,
    *,
    today: str,
    limit: int,
    owner_id: str | None = None,
    client_id: str | None = None,
    snoozed: list[str] | None = None,
    with_snoozed: bool = False,
) -> tuple[list[tuple], int, int]:
    """People due for contact by their own rhythm, for home's worklist: the first `limit` (most overdue
    first), how many there are and how many of them are snoozed, in one pass over the positions.

    `owner_id` keeps the people that colleague owns (their own owner, else their client's account owner);
    `client_id` those with an open position there; `snoozed` (contact ids) are left out of the rows and
    the total unless `with_snoozed`. Rows are (id, name, every, last seen or None, preferred channel,
    client id, client name, due date, snoozed), each person once, at the first of their clients by id.
    """
    import json

    params: dict[str, object] = {"today": today, "snoozed": json.dumps(snoozed or [])}
    where = ""
    if owner_id is not None:
        params["owner"] = owner_id
        where += (
            " AND (c.owner_id = :owner OR (c.owner_id IS NULL AND p.client_id IN"
            " (SELECT id FROM client WHERE owner_id = :owner AND deleted_at IS NULL)))"
        )
    if client_id is not None:
        params["client"] = client_id
        where += " AND p.client_id = :client"
    # A person's open positions are read in table order (no index: reading them all is the fast way),
    # and each of their contact rows is found by id; what is overdue is used twice, so kept once.
    positions = "position AS p" if client_id is not None else "position AS p NOT INDEXED"
    sql = f"""
WITH last AS (
    SELECT member.value AS contact_id, max(i.date) AS seen
    FROM interaction AS i, json_each(i.contact_ids) AS member
    WHERE i.deleted_at IS NULL GROUP BY member.value
), overdue AS MATERIALIZED (
    SELECT * FROM (
        SELECT c.rowid AS r, c.id, c.name, c.visit_frequency_days AS every, last.seen,
               c.preferred_channel AS channel, p.client_id,
               CASE WHEN last.seen IS NULL THEN :today
                    ELSE date(last.seen, '+' || c.visit_frequency_days || ' days') END AS due,
               c.id IN (SELECT value FROM json_each(:snoozed)) AS snoozed
        FROM {positions}
        JOIN contact AS c ON c.id = p.contact_id
        LEFT JOIN last ON last.contact_id = c.id
        WHERE p.deleted_at IS NULL AND p.ended IS NULL AND c.deleted_at IS NULL
          AND c.visit_frequency_days IS NOT NULL{where}
    ) WHERE due <= :today
)
SELECT * FROM (
    SELECT o.id, o.name, o.every, o.seen, o.channel, o.client_id, k.name, o.due, o.snoozed, NULL, NULL
    FROM overdue AS o LEFT JOIN client AS k ON k.id = o.client_id
    WHERE :with_snoozed OR NOT o.snoozed
    ORDER BY o.due, o.name, o.id, o.client_id LIMIT :rows
)
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       count(DISTINCT r) FILTER (WHERE :with_snoozed OR NOT snoozed), count(DISTINCT r) FILTER (WHERE snoozed)
FROM overdue
"""
    rows = limit * 2 + 10  # a person with open positions at several clients comes once per position
    while True:
        found = conn.execute(sa.text(sql), {**params, "with_snoozed": with_snoozed, "rows": rows}).all()
        *listed, counts = found
        people: dict[str, tuple] = {}
        for row in listed:
            people.setdefault(row[0], tuple(row[:9]))
        if len(people) >= limit or len(listed) < rows:
            return list(people.values())[:limit], counts[9], counts[10]
        rows *= 2


def _rows(conn: sa.Connection, sql: str, params: dict) -> list[tuple]:
    """The rows of one query, as tuples."""
    return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def worklist_candidates(
    conn: sa.Connection, *, today: str, follow_ups_by: str, sites_verified_by: str, meetings_until: str
) -> dict[str, list[tuple]]:
    """The other groups of home's worklist, read in table order (no title sort: few rows match):

    - "role_model": open culture role model positions due for reassessment by `today`:
      (position id, contact id, person's name, person's owner, title, client id, reassess by);
    - "site": sites never verified or last verified by `sites_verified_by`:
      (id, name, last verified, client id);
    - "follow_up": open follow-ups due by `follow_ups_by`: (id, text, due, owner id, client id);
    - "meeting": planned or ready meetings starting from the day before `today` (UTC) up to the day after
      `meetings_until`, for the caller to place in local time: (id, title, starts at, status, client id,
      colleague ids as a list).
    """
    import json

    params = {"today": today, "follow_ups_by": follow_ups_by, "sites_verified_by": sites_verified_by}
    found: dict[str, list[tuple]] = {}
    found["role_model"] = _rows(
        conn,
        "SELECT p.id, p.contact_id, c.name, c.owner_id, p.title, p.client_id, p.role_model_reassess_by"
        " FROM position AS p NOT INDEXED LEFT JOIN contact AS c ON c.id = p.contact_id"
        " WHERE p.deleted_at IS NULL AND p.role_model AND p.ended IS NULL"
        " AND p.role_model_reassess_by <= :today",
        params,
    )
    found["site"] = _rows(
        conn,
        "SELECT id, name, last_verified, client_id FROM site NOT INDEXED WHERE deleted_at IS NULL"
        " AND (last_verified IS NULL OR last_verified <= :sites_verified_by)",
        params,
    )
    found["follow_up"] = _rows(
        conn,
        "SELECT f.id, f.text, f.due, f.owner_id, i.client_id FROM follow_up AS f NOT INDEXED"
        " LEFT JOIN interaction AS i ON i.id = f.interaction_id"
        " WHERE f.deleted_at IS NULL AND NOT coalesce(f.done, 0) AND f.due <= :follow_ups_by",
        params,
    )
    found["meeting"] = [
        (*row[:5], json.loads(row[5]) if row[5] else [], bool(row[6]))
        for row in conn.execute(
            sa.text(
                "SELECT id, title, starts_at, status, client_id, colleague_ids, all_day FROM meeting NOT INDEXED"
                " WHERE deleted_at IS NULL AND coalesce(status, 'planned') IN ('planned', 'ready')"
                " AND starts_at >= date(:today, '-1 day') AND starts_at < date(:until, '+2 days')"
            ),
            {"today": today, "until": meetings_until},
        )
    ]
    return found


# The directory: every live person with the role they hold now (the first unended one), its client, and
# a phone to call. `{where}` and `{order}` are filled from fixed choices, never from text.
_DIRECTORY = """
SELECT c.id, c.name, p.title, cl.name AS client, coalesce(p.work_phone, json_extract(c.phones, '$[0]')) AS phone,
       c.relationship_strength, c.preferred_channel, c.visit_frequency_days, c.difficult
FROM contact c
LEFT JOIN position p ON p.rowid = (
    SELECT rowid FROM position WHERE contact_id = c.id AND deleted_at IS NULL AND ended IS NULL
    ORDER BY rowid LIMIT 1
)
LEFT JOIN client cl ON cl.id = p.client_id AND cl.deleted_at IS NULL
WHERE c.deleted_at IS NULL {where}
{order}
"""
DIRECTORY_ORDER = {
    "name": "lower(c.name)",
    "title": "lower(p.title)",
    "client": "lower(cl.name)",
    "phone": "phone",
    "relationship": "c.relationship_strength",
    "prefers": "c.preferred_channel",
    "every": "c.visit_frequency_days",
    "difficult": "c.difficult",
}


def directory_ids(
    conn: sa.Connection, *, text: str = "", order: str = "name", descending: bool = False, fold=None
) -> list[str]:
    """Ids of the live people whose name, current title or client holds `text` (folded by `fold` on both
    sides, so "bjorn" finds Bjørn), in the order of one directory column (empty values last)."""
    key = DIRECTORY_ORDER[order]
    direction = "DESC" if descending else "ASC"
    where, params = "", {}
    if text.strip():
        raw = conn.connection.driver_connection
        raw.create_function("companion_fold", 1, fold, deterministic=True)
        where = (
            "AND (companion_fold(c.name) LIKE :pattern OR companion_fold(coalesce(p.title, '')) LIKE :pattern"
            " OR companion_fold(coalesce(cl.name, '')) LIKE :pattern)"
        )
        params["pattern"] = f"%{fold(text.strip())}%"
    sql = _DIRECTORY.format(
        where=where, order=f"ORDER BY {key} IS NULL, {key} {direction}, lower(c.name), c.id"
    )
    return [row[0] for row in conn.exec_driver_sql(sql.replace(":pattern", "?"), tuple(params.values()) * 3)]


def directory_rows(conn: sa.Connection, ids: list[str]) -> dict[str, tuple]:
    """The directory's columns of these people, by id: (id, name, title, client, phone, strength, channel,
    every, difficult)."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    sql = _DIRECTORY.format(where=f"AND c.id IN ({marks})", order="")
    return {row[0]: tuple(row) for row in conn.exec_driver_sql(sql, tuple(ids))}


@dataclass(frozen=True)
class PositionFacts:
    """What the early-warning rules read of people's positions, as (id, contact_id, client_id, title,
    buying_role, stance, ended) rows: decision makers now; champions who left lately; where those who
    left hold a position still; and how many buying roles each client's people hold now."""

    deciders: list[tuple]
    left: list[tuple]
    held: set[tuple[str, str]]
    roles: dict[str, int]


_POSITION_COLUMNS = "id, contact_id, client_id, title, buying_role, stance, ended"


def position_facts(
    conn: sa.Connection,
    *,
    deciding_roles: Sequence[str],
    champion_roles: Sequence[str],
    ended_since: str,
    client_id: str | None = None,
) -> PositionFacts:
    """Four narrow reads in SQL instead of every position through Python (100,000 of them in a team
    workspace cost 0.3 s that way, read on every change home follows)."""
    params: dict[str, object] = {"since": ended_since, "client_id": client_id}
    deciding = _in_list("d", deciding_roles, params)
    champions = _in_list("c", champion_roles, params)
    one_client = " AND client_id = :client_id" if client_id is not None else ""
    live_now = f"deleted_at IS NULL AND ended IS NULL{one_client}"
    deciders = _rows(
        conn,
        f"SELECT {_POSITION_COLUMNS} FROM position WHERE {live_now} AND buying_role IN ({deciding})",
        params,
    )
    left = _rows(
        conn,
        f"SELECT {_POSITION_COLUMNS} FROM position WHERE deleted_at IS NULL AND ended >= :since{one_client}"
        f" AND (buying_role IN ({champions}) OR stance = 'champion')",
        params,
    )
    held: set[tuple[str, str]] = set()
    people = sorted({str(row[1]) for row in left})
    for start in range(0, len(people), 500):
        chunk = {f"p{n}": person for n, person in enumerate(people[start : start + 500])}
        listed = ", ".join(f":{name}" for name in chunk)
        held |= {
            (str(contact), str(client))
            for contact, client in _rows(
                conn,
                f"SELECT contact_id, client_id FROM position WHERE deleted_at IS NULL AND ended IS NULL"
                f" AND contact_id IN ({listed})",
                chunk,
            )
        }
    roles = dict(
        _rows(
            conn,
            f"SELECT client_id, count(*) FROM position WHERE {live_now} AND buying_role IS NOT NULL"
            " GROUP BY client_id",
            params,
        )
    )
    return PositionFacts(deciders, left, held, roles)


def _in_list(prefix: str, values: Sequence[str], params: dict[str, object]) -> str:
    """Named parameters for an IN (…) list, added to `params`."""
    names = [f"{prefix}{n}" for n in range(len(values))]
    params.update(zip(names, values, strict=True))
    return ", ".join(f":{name}" for name in names) or "NULL"


@dataclass(frozen=True)
class DealGapFacts:
    """What the qualification gaps of open deals read, in a few narrow queries.

    `deals`: (id, client_id, title, stage, economic_buyer_id, champion_id, decision_process_status, value,
    currency, expected_close);
    `buyer_stance`: deal id → the stance of its economic buyer's current position at the deal's client, when
    it is one of `against_stances`;
    `buyer_support`: deal id → the support its economic buyer is given in the deal (opportunity_contact);
    `champion_seen`: deal id → the latest interaction date involving its champion (absent: never);
    `unmet`: client id → (contact_id, buying_role, influence) of current positions with a buying role whose
    person no interaction ever involved, at clients with a deal whose decision process is unknown;
    `names`: contact id → name of every person named above."""

    deals: list[tuple]
    buyer_stance: dict[str, str]
    buyer_support: dict[str, str]
    champion_seen: dict[str, str]
    unmet: dict[str, list[tuple]]
    names: dict[str, str]


def _driver_rows(conn: sa.Connection, sql: str, params: dict) -> list[tuple]:
    """The rows of one query read by the driver itself: thousands of rows read through SQLAlchemy's
    result cost several times the query (the deals of a 10,000-client workspace, read on every change
    home follows)."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]


def deal_gap_facts(
    conn: sa.Connection,
    *,
    open_stages: Sequence[str],
    against_stances: Sequence[str],
    client_id: str | None = None,
    opportunity_ids: Sequence[str] | None = None,
) -> DealGapFacts:
    """The open deals (of one client, of these ids, or all) and the people facts their gaps come from. Each
    read joins the deals in SQL, so a workspace of 10,000 clients reads only the rows its open deals need."""
    params: dict[str, object] = {"client_id": client_id}
    stages = _in_list("s", open_stages, params)
    where = f"deleted_at IS NULL AND stage IN ({stages})"
    if client_id is not None:
        where += " AND client_id = :client_id"
    if opportunity_ids is not None:
        where += f" AND id IN ({_in_list('o', list(opportunity_ids), params)})"
    deals_cte = (
        "WITH deal AS (SELECT id, client_id, title, stage, economic_buyer_id, champion_id,"
        f" decision_process_status, value, currency, expected_close FROM opportunity WHERE {where})"
    )
    deals = _driver_rows(conn, f"{deals_cte} SELECT * FROM deal ORDER BY client_id, title, id", params)
    if not deals:
        return DealGapFacts([], {}, {}, {}, {}, {})
    against = _in_list("a", against_stances, params)
    buyer_stance = dict(
        _driver_rows(
            conn,
            f"{deals_cte} SELECT d.id, p.stance FROM deal d CROSS JOIN position p"
            " ON p.contact_id = d.economic_buyer_id"
            " AND p.client_id = d.client_id AND p.deleted_at IS NULL AND p.ended IS NULL"
            f" WHERE p.stance IN ({against}) ORDER BY p.started",
            params,
        )
    )
    buyer_support = dict(
        _driver_rows(
            conn,
            f"{deals_cte} SELECT d.id, oc.support FROM deal d JOIN opportunity_contact oc"
            " ON oc.opportunity_id = d.id AND oc.contact_id = d.economic_buyer_id AND oc.deleted_at IS NULL"
            " WHERE oc.support IS NOT NULL ORDER BY oc.created_at",
            params,
        )
    )
    champion_seen = dict(
        _driver_rows(
            conn,
            f"{deals_cte}, seen AS (SELECT m.value AS contact_id, max(i.date) AS last FROM interaction i,"
            " json_each(i.contact_ids) m WHERE i.deleted_at IS NULL"
            " AND m.value IN (SELECT champion_id FROM deal WHERE champion_id IS NOT NULL) GROUP BY m.value)"
            " SELECT d.id, s.last FROM deal d JOIN seen s ON s.contact_id = d.champion_id",
            params,
        )
    )
    holders = (
        "SELECT p.contact_id, p.client_id, p.buying_role, p.influence FROM position p"
        " WHERE p.deleted_at IS NULL AND p.ended IS NULL AND p.buying_role IS NOT NULL AND p.client_id IN"
        " (SELECT client_id FROM deal WHERE coalesce(decision_process_status, 'unknown') = 'unknown')"
    )
    unmet: dict[str, list[tuple]] = {}
    for contact, client, role, influence in _driver_rows(
        conn,
        f"{deals_cte}, holder AS ({holders}),"
        " met AS (SELECT DISTINCT m.value AS contact_id FROM interaction i,"
        " json_each(i.contact_ids) m WHERE i.deleted_at IS NULL"
        " AND m.value IN (SELECT contact_id FROM holder))"
        " SELECT h.* FROM holder h JOIN contact c ON c.id = h.contact_id AND c.deleted_at IS NULL"
        " WHERE h.contact_id NOT IN (SELECT contact_id FROM met)",
        params,
    ):
        unmet.setdefault(str(client), []).append((str(contact), role, influence))
    names = dict(
        _driver_rows(
            conn,
            f"{deals_cte}, holder AS ({holders})"
            " SELECT id, name FROM contact WHERE deleted_at IS NULL AND id IN"
            " (SELECT economic_buyer_id FROM deal UNION SELECT champion_id FROM deal"
            " UNION SELECT contact_id FROM holder)",
            params,
        )
    )
    return DealGapFacts(deals, buyer_stance, buyer_support, champion_seen, unmet, names)


# --- sales: cohorts, campaign targets, the market's feedback, whitespace -----------------------------


def deal_rows(conn: sa.Connection, columns: Sequence[str], *, client_id: str | None = None) -> list[tuple]:
    """These columns of the live deals (of one client, or all), each row led by its client's name: the
    pipeline of a 10,000-client workspace in one read by the driver."""
    listed = ", ".join(f"o.{column}" for column in columns)
    one = " AND o.client_id = :client_id" if client_id is not None else ""
    return _driver_rows(
        conn,
        f"SELECT c.name, {listed} FROM opportunity o JOIN client c ON c.id = o.client_id"
        f" WHERE o.deleted_at IS NULL{one}",
        {"client_id": client_id},
    )


def _ids(values: Sequence[str] | None) -> str:
    """A list of ids (or values) as one JSON parameter, read in SQL through json_each."""
    import json

    return json.dumps(list(values or ()))


def cohort_clients(
    conn: sa.Connection,
    *,
    tags: Sequence[str],
    industries: Sequence[str],
    statuses: Sequence[str],
    owner_ids: Sequence[str],
    field: str | None,
    field_value: str | None,
    field_is_long: bool,
    added_ids: Sequence[str],
    excluded_ids: Sequence[str],
    plain,
) -> list[tuple]:
    """The live clients a cohort holds, by name: (id, name, industry, status, added), where `added` says a
    manual addition the filters do not hold. A client matches every filter given (each one any of its
    values); tags, industries and the field's value are compared through `plain` (case and spacing aside:
    the values given must be plain already). No filter at all: only the added clients. `field` is one of
    the cohort's filter fields (kinds.COHORT_FILTER_FIELDS), never free text."""
    conditions = []
    if tags:
        conditions.append(
            "EXISTS (SELECT 1 FROM json_each(c.tags) AS t WHERE companion_plain(t.value) IN"
            " (SELECT value FROM json_each(:tags)))"
        )
    if industries:
        conditions.append("companion_plain(c.industry) IN (SELECT value FROM json_each(:industries))")
    if statuses:
        conditions.append("c.status IN (SELECT value FROM json_each(:statuses))")
    if owner_ids:
        conditions.append("c.owner_id IN (SELECT value FROM json_each(:owners))")
    if field and field_value:
        column = f"companion_plain(c.{field})"
        conditions.append(
            f"instr({column}, :field_value) > 0" if field_is_long else f"{column} = :field_value"
        )
    matched = " AND ".join(conditions) if conditions else "0"
    conn.connection.driver_connection.create_function("companion_plain", 1, plain, deterministic=True)
    sql = f"""
SELECT id, name, industry, status, NOT matched FROM (
    SELECT c.id, c.name, c.industry, c.status, coalesce(({matched}), 0) AS matched,
           c.id IN (SELECT value FROM json_each(:added)) AS added
    FROM client AS c NOT INDEXED
    WHERE c.deleted_at IS NULL AND c.id NOT IN (SELECT value FROM json_each(:excluded))
) WHERE matched OR added
ORDER BY lower(name), id
"""
    params = {
        "tags": _ids(tags),
        "industries": _ids(industries),
        "statuses": _ids(statuses),
        "owners": _ids(owner_ids),
        "field_value": field_value,
        "added": _ids(added_ids),
        "excluded": _ids(excluded_ids),
    }
    return _driver_rows(conn, sql, params)


def target_candidates(
    conn: sa.Connection, *, client_ids: Sequence[str], roles: Sequence[str], today: str
) -> list[tuple]:
    """People holding a live position now (unended, or ending after `today`) with one of `roles` at one
    of these clients: (client id, contact id, name, buying role, influence, stance, preferred channel,
    best times, worst times), a person once per client (their most influential position there)."""
    sql = """
SELECT p.client_id, p.contact_id, c.name, p.buying_role, nullif(max(coalesce(p.influence, 0)), 0),
       p.stance, c.preferred_channel, c.best_times, c.worst_times
FROM position AS p
JOIN contact AS c ON c.id = p.contact_id AND c.deleted_at IS NULL
WHERE p.client_id IN (SELECT value FROM json_each(:clients))
  AND p.deleted_at IS NULL AND (p.ended IS NULL OR p.ended > :today)
  AND p.buying_role IN (SELECT value FROM json_each(:roles))
GROUP BY p.client_id, p.contact_id
"""
    return _driver_rows(conn, sql, {"clients": _ids(client_ids), "roles": _ids(roles), "today": today})


def influencers_on(conn: sa.Connection, *, contact_ids: Sequence[str], today: str) -> list[tuple]:
    """Informal influence on these people from someone who supports us now: (person influenced, influencer,
    influencer's name, strength, influencer's stance, client of that stance), one row per current position
    of the influencer that is a champion's or a supporter's."""
    sql = """
SELECT r.to_contact_id, r.from_contact_id, c.name, r.strength, p.stance, p.client_id
FROM relationship AS r
JOIN contact AS c ON c.id = r.from_contact_id AND c.deleted_at IS NULL
JOIN position AS p ON p.contact_id = r.from_contact_id AND p.deleted_at IS NULL
     AND (p.ended IS NULL OR p.ended > :today) AND p.stance IN ('champion', 'supporter')
WHERE r.deleted_at IS NULL AND r.type = 'informal_influence'
  AND r.to_contact_id IN (SELECT value FROM json_each(:people))
"""
    return _driver_rows(conn, sql, {"people": _ids(contact_ids), "today": today})


def approach_guidelines(conn: sa.Connection, *, client_ids: Sequence[str]) -> list[tuple]:
    """The do's and don'ts of these clients that bear on approaching someone: those for the whole client
    and those about one person. (client id, contact id or None, polarity, severity, text), oldest first."""
    sql = """
SELECT client_id, CASE WHEN scope = 'contact' THEN contact_id END, polarity, severity, text
FROM guideline
WHERE client_id IN (SELECT value FROM json_each(:clients)) AND deleted_at IS NULL
  AND scope IN ('client', 'contact')
ORDER BY created_at, id
"""
    return _driver_rows(conn, sql, {"clients": _ids(client_ids)})


def campaign_target_keys(conn: sa.Connection, campaign_id: str) -> tuple[set[tuple[str, str | None]], int]:
    """The (client id, contact id or None) of a campaign's live targets, and the highest rank among them."""
    found = _driver_rows(
        conn,
        "SELECT client_id, contact_id, rank FROM campaign_target WHERE campaign_id = :campaign"
        " AND deleted_at IS NULL",
        {"campaign": campaign_id},
    )
    return {(row[0], row[1]) for row in found}, max((row[2] or 0 for row in found), default=0)


# The work list's columns, a target each: its person's position at the target's client is their most
# influential current one there, found through the person (`+client_id` keeps SQLite from searching by
# the client, whose hundreds of positions would be read for each target).
_WORK_LIST = """
SELECT t.id, t.client_id, k.name, t.contact_id, c.name, p.title, p.buying_role, p.influence, p.stance,
       t.status, t.reason, t.next_step, t.next_step_due, t.route_via_id, v.name, t.rank, t.approach,
       c.preferred_channel, t.opportunity_id
FROM campaign_target AS t
LEFT JOIN client AS k ON k.id = t.client_id
LEFT JOIN contact AS c ON c.id = t.contact_id
LEFT JOIN contact AS v ON v.id = t.route_via_id
LEFT JOIN position AS p ON p.rowid = (
    SELECT rowid FROM position WHERE contact_id = t.contact_id AND +client_id = t.client_id
    AND deleted_at IS NULL AND ended IS NULL ORDER BY coalesce(influence, 0) DESC, rowid LIMIT 1
)
WHERE t.campaign_id = :campaign AND t.deleted_at IS NULL
ORDER BY t.status IN ({closed}), t.rank IS NULL, t.rank, lower(k.name), lower(c.name), t.id
"""


def work_list_rows(conn: sa.Connection, campaign_id: str, *, closed: Sequence[str]) -> list[tuple]:
    """A campaign's live targets with their client, person, position and route in one read: open ones
    (any status but `closed`) first, each group by rank. Columns as core/campaigns.TargetRow's."""
    params: dict[str, object] = {"campaign": campaign_id}
    sql = _WORK_LIST.format(closed=_in_list("s", closed, params))
    return _driver_rows(conn, sql, params)


def proposition_targets(conn: sa.Connection, proposition_id: str) -> list[tuple]:
    """Every live target of the live campaigns of a proposition: (status, reason, cohort id, cohort name,
    last change yyyy-mm)."""
    sql = """
SELECT t.status, t.reason, g.cohort_id, h.name, substr(t.updated_at, 1, 7)
FROM campaign_target AS t
JOIN campaign AS g ON g.id = t.campaign_id AND g.deleted_at IS NULL
LEFT JOIN cohort AS h ON h.id = g.cohort_id
WHERE g.proposition_id = :proposition AND t.deleted_at IS NULL
"""
    return _driver_rows(conn, sql, {"proposition": proposition_id})


def client_deals(conn: sa.Connection, client_id: str) -> list[tuple]:
    """A client's live opportunities of a proposition: (id, proposition id, sub-group id, stage, title,
    outcome reason)."""
    sql = """
SELECT id, proposition_id, sub_group_id, stage, title, outcome_reason FROM opportunity
WHERE client_id = :client AND deleted_at IS NULL AND proposition_id IS NOT NULL
ORDER BY created_at, id
"""
    return _driver_rows(conn, sql, {"client": client_id})


def client_declines(conn: sa.Connection, client_id: str) -> list[tuple]:
    """A client's live declined campaign targets: (proposition id, sub-group id of the person's current
    position there or None, person's name or None, campaign name, reason)."""
    sql = """
SELECT g.proposition_id, p.sub_group_id, c.name, g.name, t.reason
FROM campaign_target AS t
JOIN campaign AS g ON g.id = t.campaign_id AND g.deleted_at IS NULL
LEFT JOIN contact AS c ON c.id = t.contact_id
LEFT JOIN position AS p ON p.rowid = (
    SELECT rowid FROM position WHERE contact_id = t.contact_id AND +client_id = t.client_id
    AND deleted_at IS NULL AND ended IS NULL ORDER BY rowid LIMIT 1
)
WHERE t.client_id = :client AND t.deleted_at IS NULL AND t.status = 'declined'
ORDER BY t.updated_at, t.id
"""
    return _driver_rows(conn, sql, {"client": client_id})


def client_competitors(conn: sa.Connection, client_id: str) -> list[tuple]:
    """The competitors present at a client: (competitor name, their footprint here)."""
    sql = """
SELECT m.name, pr.footprint FROM competitor_presence AS pr
JOIN competitor AS m ON m.id = pr.competitor_id AND m.deleted_at IS NULL
WHERE pr.client_id = :client AND pr.deleted_at IS NULL
ORDER BY lower(m.name), pr.id
"""
    return _driver_rows(conn, sql, {"client": client_id})


def client_names(conn: sa.Connection, client_ids: Sequence[str]) -> dict[str, str]:
    """The names of these clients, by id."""
    sql = "SELECT id, name FROM client WHERE id IN (SELECT value FROM json_each(:ids))"
    return dict(_driver_rows(conn, sql, {"ids": _ids(client_ids)}))


def target_status_counts(conn: sa.Connection, campaign_id: str) -> dict[str, int]:
    """How many live targets of a campaign stand at each status (statuses with none left out)."""
    sql = (
        "SELECT status, count(*) FROM campaign_target WHERE campaign_id = :campaign AND deleted_at IS NULL"
        " GROUP BY status"
    )
    return dict(_driver_rows(conn, sql, {"campaign": campaign_id}))
