"""Bundles round-trip: any valid workspace exports, imports into a fresh one and exports again unchanged.

Also: a bundle that does not hold together is refused whole, and a client's export carries
exactly what belongs with that client.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.changes import Edit
from companion.core.service import Workspace
from companion.interchange.bundle import (
    FORMAT,
    VERSION,
    export_bundle,
    import_bundle,
    parse_bundle,
    shareable,
    whole,
    write_bundle,
)
from companion.model.errors import BundleError
from companion.model.kinds import KINDS, KINDS_BY_NAME, Field

STAMPS = ("created_at", "updated_at")

# --- values for one field, built from the field's type and rules ---------------------------

# Letters, marks, digits, punctuation, symbols (emoji included) and spaces; no control characters.
_CHARS = st.characters(exclude_categories=("Cs", "Cc"))
_SPICE = (
    "Zoë",
    "Ødegaard",
    "crème brûlée",
    "Müller-Lüdenscheidt",
    "Dąbrowski",
    "Ærøskøbing",
    "İstanbul",
    "東京都",
    "Δέλτα",
    "Jos\u00e9 / Jose\u0301",
    "🚀",
    "👩‍👩‍👧",
    "🇳🇴",
    "☕",
    "🤝🏽",
    "⛵",
    "“quoted” «guillemets»",
    "\u200b",
)
_WORD = st.one_of(st.text(_CHARS, min_size=1, max_size=10), st.sampled_from(_SPICE))
_MARKDOWN_LINES = (
    "# Heading",
    "## Zoë's notes 🚀",
    "- point one",
    "  - nested, indented",
    "* **bold** and _italic_ and `code`",
    "> a quote from the CFO",
    "```",
    "1. first",
    "| who | what |",
    "|-----|------|",
    "[link](https://example.com/a?b=c&d=é)",
    "\tindented with a tab",
    "",
)


def _one_line(limit: int) -> st.SearchStrategy[str]:
    """A single line as the store keeps it: stripped, not empty, within the field's limit."""
    return (
        st.lists(_WORD, min_size=1, max_size=5)
        .map(" ".join)
        .map(lambda s: s.strip()[:limit].strip())
        .filter(lambda s: s and "\n" not in s and "\r" not in s)
    )


@st.composite
def _markdown(draw, limit: int) -> str:
    lines = draw(
        st.lists(
            st.one_of(_one_line(200), st.sampled_from(_MARKDOWN_LINES), st.text(_CHARS, max_size=30)),
            min_size=1,
            max_size=8,
        )
    )
    if draw(st.integers(0, 9)) == 0:
        lines.append("Ærø 🚀 crème brûlée, naïve café. " * 120)  # a long paragraph
    text = draw(st.sampled_from(("\n", "\r\n", "\n\n"))).join(lines)[:limit]
    if not text.strip():
        text = "Zoë 🚀"
    return text


_EMAILS = st.builds(
    "{}@{}.{}".format,
    st.text(st.sampled_from("abcxyz0189._+-ëøñ"), min_size=1, max_size=12),
    st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
_PHONES = st.from_regex(r"\+?[0-9]{1,3}( [0-9]{2,4}){1,3}( ext [0-9]{1,4})?", fullmatch=True)
_URLS = st.from_regex(
    r"https?://[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){1,2}(/[A-Za-z0-9_~%-]{1,10}){0,3}", fullmatch=True
)
_DATES = st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))
_OFFSETS = st.integers(-12 * 4, 14 * 4).map(lambda quarters: dt.timezone(dt.timedelta(minutes=15 * quarters)))


@st.composite
def _moments(draw) -> dt.datetime:
    naive = draw(st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2100, 12, 30))).replace(microsecond=0)
    return naive.replace(tzinfo=draw(_OFFSETS))


def value_of(f: Field) -> st.SearchStrategy:
    """Valid values in their canonical form for field `f`, read from the kinds table."""
    limit = f.length_limit or 500
    if f.type == "text" and f.item_format == "currency":
        return st.sampled_from(("EUR", "NOK", "USD", "GBP"))
    if f.type == "text":
        return _one_line(limit)
    if f.type == "longtext":
        return _markdown(limit)
    if f.type == "email":
        return _EMAILS
    if f.type == "phone":
        return _PHONES
    if f.type == "url":
        return _URLS
    if f.type == "int":
        return st.integers(f.min if f.min is not None else -(10**9), f.max if f.max is not None else 10**9)
    if f.type == "number":
        return st.floats(-(10**12), 10**12, allow_nan=False, allow_infinity=False)
    if f.type == "bool":
        return st.booleans()
    if f.type == "date":
        return _DATES.map(dt.date.isoformat)
    if f.type == "datetime":
        return _moments().map(dt.datetime.isoformat)
    if f.type == "enum":
        return st.sampled_from(f.choices)
    if f.type == "strings" and f.choices:
        return st.lists(st.sampled_from(f.choices), min_size=1, max_size=3, unique=True)
    if f.type == "strings":
        item = {"email": _EMAILS, "phone": _PHONES}.get(f.item_format, _one_line(limit))
        return st.lists(item, min_size=1, max_size=4, unique=True)
    raise AssertionError(f"references are drawn from the records made so far, not for {f.name}")


@st.composite
def plain_values(draw, kind_name: str, skip: tuple[str, ...] = ()) -> dict:
    """Every field that is not a reference: required ones always, the others now and then."""
    values = {}
    for f in KINDS_BY_NAME[kind_name].fields:
        if f.is_reference or f.name in skip:
            continue
        if f.required or draw(st.booleans()):
            values[f.name] = draw(value_of(f))
    return values


# --- whole workspaces ---------------------------------------------------------------------------


@st.composite
def workspaces(draw) -> dict[str, list[dict]]:
    """A valid workspace of every kind, records in an order in which each one's references exist."""
    base = draw(st.integers(0, 2**62))
    counter = iter(range(1, 10_000))
    records: dict[str, list[dict]] = {k.name: [] for k in KINDS}

    def add(kind_name: str, values: dict) -> dict:
        record_id = str(uuid.UUID(int=(base << 64) | next(counter), version=4))
        record = {"id": record_id, **{k: v for k, v in values.items() if v is not None}}
        records[kind_name].append(record)
        return record

    def maybe(items: list[dict], **where) -> str | None:
        candidates = [r["id"] for r in items if all(r.get(k) == v for k, v in where.items())]
        if not candidates or not draw(st.booleans()):
            return None
        return draw(st.sampled_from(candidates))

    def some(items: list[dict]) -> list[str] | None:
        if not items:
            return None
        picked = draw(st.lists(st.sampled_from([r["id"] for r in items]), max_size=4, unique=True))
        return picked or None

    def dated(kind_name: str, earlier: str, later: str, moments) -> dict:
        values = draw(plain_values(kind_name, skip=(earlier, later)))
        first, second = sorted(draw(st.lists(moments, min_size=2, max_size=2)))
        if draw(st.booleans()) or KINDS_BY_NAME[kind_name].field(earlier).required:
            values[earlier] = first
        if draw(st.booleans()):
            values[later] = second
        return values

    colleagues = records["colleague"]
    for _ in range(draw(st.integers(0, 3))):
        add("colleague", draw(plain_values("colleague")))
    clients = records["client"]
    for _ in range(draw(st.integers(1, 3))):
        add("client", {**draw(plain_values("client")), "owner_id": maybe(colleagues)})
    for client in list(clients):
        for _ in range(draw(st.integers(0, 2))):
            parent = maybe(records["sub_group"], client_id=client["id"])
            add(
                "sub_group",
                {**draw(plain_values("sub_group")), "client_id": client["id"], "parent_id": parent},
            )
        for _ in range(draw(st.integers(0, 2))):
            add("site", {**draw(plain_values("site")), "client_id": client["id"]})
    contacts = records["contact"]
    for _ in range(draw(st.integers(1, 4))):
        add("contact", {**draw(plain_values("contact")), "owner_id": maybe(colleagues)})

    for _ in range(draw(st.integers(0, 6))):
        client = draw(st.sampled_from(clients))["id"]
        values = dated("position", "started", "ended", _DATES.map(dt.date.isoformat))
        add(
            "position",
            {
                **values,
                "contact_id": draw(st.sampled_from(contacts))["id"],
                "client_id": client,
                # Each new position may report to one made before it: chains, never loops.
                "reports_to_id": maybe(records["position"], client_id=client),
                "sub_group_id": maybe(records["sub_group"], client_id=client),
                "site_id": maybe(records["site"], client_id=client),
            },
        )
    if len(contacts) >= 2:
        for _ in range(draw(st.integers(0, 3))):
            a, b = draw(
                st.lists(st.sampled_from([c["id"] for c in contacts]), min_size=2, max_size=2, unique=True)
            )
            add(
                "relationship",
                {**draw(plain_values("relationship")), "from_contact_id": a, "to_contact_id": b},
            )

    for _ in range(draw(st.integers(0, 4))):
        targets = [("client_id", clients), ("contact_id", contacts)]
        if records["site"]:
            targets.append(("site_id", records["site"]))
        field_name, items = draw(st.sampled_from(targets))
        add("note", {**draw(plain_values("note")), field_name: draw(st.sampled_from(items))["id"]})

    for _ in range(draw(st.integers(0, 4))):
        client = draw(st.sampled_from(clients))["id"]
        scopes = {"client": None, "contact": ("contact_id", contacts)}
        for scope, kind_name in (("sub_group", "sub_group"), ("site", "site")):
            own = [r for r in records[kind_name] if r["client_id"] == client]
            if own:
                scopes[scope] = (f"{kind_name}_id", own)
        scope = draw(st.sampled_from(sorted(scopes)))
        values = {**draw(plain_values("guideline")), "client_id": client, "scope": scope}
        if scopes[scope] is not None:
            field_name, items = scopes[scope]
            values[field_name] = draw(st.sampled_from(items))["id"]
        add("guideline", values)

    for _ in range(draw(st.integers(0, 3))):
        add(
            "interaction",
            {**draw(plain_values("interaction")), "client_id": maybe(clients), "contact_ids": some(contacts)},
        )
    for _ in range(draw(st.integers(0, 2)) if records["interaction"] else 0):
        interaction = draw(st.sampled_from(records["interaction"]))["id"]
        add(
            "follow_up",
            {**draw(plain_values("follow_up")), "interaction_id": interaction, "owner_id": maybe(colleagues)},
        )

    for _ in range(draw(st.integers(0, 2))):
        template = add("checklist_template", draw(plain_values("checklist_template")))
        for _ in range(draw(st.integers(0, 2))):
            add(
                "checklist_template_item",
                {**draw(plain_values("checklist_template_item")), "template_id": template["id"]},
            )

    for _ in range(draw(st.integers(0, 3))):
        client = draw(st.sampled_from(clients))["id"]
        # The end is drawn in the start's own offset, so the two compare as the clock reads.
        start = draw(_moments())
        values = draw(plain_values("meeting", skip=("starts_at", "ends_at")))
        values["starts_at"] = start.isoformat()
        if draw(st.booleans()):
            end = start + dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
            values["ends_at"] = end.isoformat()
        meeting = add(
            "meeting",
            {
                **values,
                "client_id": client,
                "site_id": maybe(records["site"], client_id=client),
                "contact_ids": some(contacts),
                "colleague_ids": some(colleagues),
                "template_ids": some(records["checklist_template"]),
            },
        )
        for _ in range(draw(st.integers(0, 2))):
            item = {**draw(plain_values("meeting_checklist_item")), "meeting_id": meeting["id"]}
            if meeting.get("status") == "ready" and item.get("must") and not item.get("removed"):
                item["done"] = True  # a ready meeting has every must-item ticked
            add("meeting_checklist_item", item)
    for client in clients:
        versions = [
            add("pack_version", {**draw(plain_values("pack_version")), "client_id": client["id"]})
            for _ in range(draw(st.integers(0, 2)))
        ]
        if colleagues and versions and draw(st.booleans()):
            reader = draw(st.sampled_from(colleagues))["id"]
            read = draw(st.sampled_from(versions))  # a sign-off names a version that was recorded
            add(
                "pack_signoff",
                {
                    **draw(plain_values("pack_signoff")),
                    "client_id": client["id"],
                    "colleague_id": reader,
                    "version": read["number"],
                    "content_hash": read["content_hash"],
                    "candid": read.get("candid"),
                },
            )
    _account_plans(draw, records, add, maybe, some)
    _sales(draw, records, add, maybe, some)
    _reviews(draw, records, add, maybe)
    return {kind: items for kind, items in records.items() if items}


def _account_plans(draw, records, add, maybe, some) -> None:
    """Plans with their SWOT, objectives, measures and readings; risks, actions, contracts, competitors."""
    clients, contacts, colleagues = records["client"], records["contact"], records["colleague"]
    iso_dates = _DATES.map(dt.date.isoformat)
    for _ in range(draw(st.integers(0, 2))):
        add("competitor", draw(plain_values("competitor")))
    for client in clients:
        for _ in range(draw(st.integers(0, 2))):
            values = draw(plain_values("account_plan", skip=("period_from", "period_to")))
            first, second = sorted(draw(st.lists(iso_dates, min_size=2, max_size=2)))
            values.update(period_from=first if draw(st.booleans()) else None, period_to=second)
            active = any(
                p["status"] == "active" for p in records["account_plan"] if p["client_id"] == client["id"]
            )
            if active and values["status"] == "active":
                values["status"] = "draft"  # one active plan per client
            plan = add(
                "account_plan", {**values, "client_id": client["id"], "shared_with_ids": some(contacts)}
            )
            for _ in range(draw(st.integers(0, 2))):
                add("swot_item", {**draw(plain_values("swot_item")), "plan_id": plan["id"]})
            for _ in range(draw(st.integers(0, 2))):
                objective = add(
                    "objective",
                    {
                        **draw(plain_values("objective")),
                        "plan_id": plan["id"],
                        "owner_id": maybe(colleagues),
                        "stakeholder_id": maybe(contacts),
                    },
                )
                for _ in range(draw(st.integers(0, 1))):
                    measure = add(
                        "measure", {**draw(plain_values("measure")), "objective_id": objective["id"]}
                    )
                    for _ in range(draw(st.integers(0, 2))):
                        add(
                            "measure_reading",
                            {**draw(plain_values("measure_reading")), "measure_id": measure["id"]},
                        )
        for _ in range(draw(st.integers(0, 2))):
            add(
                "risk",
                {
                    **draw(plain_values("risk")),
                    "client_id": client["id"],
                    "owner_id": maybe(colleagues),
                    "contact_ids": some(contacts),
                    "competitor_id": maybe(records["competitor"]),
                },
            )
        for _ in range(draw(st.integers(0, 1))):
            values = draw(plain_values("contract", skip=("starts", "ends", "notice_by")))
            starts, notice, ends = sorted(draw(st.lists(iso_dates, min_size=3, max_size=3)))
            for name, value in (("starts", starts), ("notice_by", notice), ("ends", ends)):
                if draw(st.booleans()):
                    values[name] = value
            add("contract", {**values, "client_id": client["id"]})
        if records["competitor"] and draw(st.booleans()):
            competitor = draw(st.sampled_from(records["competitor"]))["id"]
            add("competitor_presence", {**draw(plain_values("competitor_presence")), "competitor_id": competitor,
                                        "client_id": client["id"]})  # fmt: skip
        if draw(st.booleans()):
            risk = maybe(records["risk"], client_id=client["id"])
            add("warning_decision", {**draw(plain_values("warning_decision")), "client_id": client["id"],
                                     "risk_id": risk})  # fmt: skip
    # Deals are drawn first (`_sales` runs after this), so actions here belong to objectives or risks.
    owners = [("objective_id", records["objective"]), ("risk_id", records["risk"])]
    owners = [(name, items) for name, items in owners if items]
    for _ in range(draw(st.integers(0, 3)) if owners else 0):
        name, items = draw(st.sampled_from(owners))
        add(
            "action",
            {
                **draw(plain_values("action")),
                name: draw(st.sampled_from(items))["id"],
                "owner_id": maybe(colleagues),
                "contact_id": maybe(contacts),
            },
        )
    if records["competitor"]:
        for _ in range(draw(st.integers(0, 2))):
            add(
                "competitor_tie",
                {
                    **draw(plain_values("competitor_tie")),
                    "competitor_id": draw(st.sampled_from(records["competitor"]))["id"],
                    "contact_id": draw(st.sampled_from(contacts))["id"],
                },
            )


def _comparable(exported: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Records without their timestamps, sorted by id, with date-times compared as instants."""
    result = {}
    for kind_name, items in exported.items():
        kind = KINDS_BY_NAME[kind_name]
        rows = []
        for item in sorted(items, key=lambda r: r["id"]):
            row = {k: v for k, v in item.items() if k not in STAMPS}
            for f in kind.fields:
                if f.type == "datetime" and f.name in row:
                    row[f.name] = dt.datetime.fromisoformat(row[f.name])
            rows.append(row)
        result[kind_name] = rows
    return result


def _count(records: dict[str, list[dict]]) -> int:
    return sum(len(items) for items in records.values())


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(records=workspaces(), write_path=st.sampled_from(["apply", "import_records"]))
def test_bundle_round_trips_any_valid_workspace(records, write_path):
    total = _count(records)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = Workspace.open(folder / "source.sqlite")
        target = Workspace.open(folder / "target.sqlite")
        try:
            if write_path == "apply":
                edits = [
                    Edit("create", kind, item["id"], {k: v for k, v in item.items() if k != "id"})
                    for kind, items in records.items()
                    for item in items
                ]
                made = source.apply(edits=edits, react=False)  # as generated: no checklist recomposed
            else:
                made = source.import_records(records=records)
            assert len(made) == total

            first = source.export_records()
            assert _comparable(first) == _comparable(records)

            # Private notes never leave in an export; everything else does, unchanged.
            shared = shareable(first)
            assert not any(n["privacy"] == "private" for n in shared.get("note", []))
            path = folder / "bundle.json"
            assert write_bundle(source, path) == _count(shared)
            on_disk = json.loads(path.read_text(encoding="utf-8"))
            assert on_disk["format"] == FORMAT
            assert on_disk["version"] == VERSION
            assert on_disk["records"] == whole(shared)  # every field, null where empty

            imported = import_bundle(target, path)
            assert [c.op for c in imported.changes] == ["create"] * _count(shared)
            assert target.export_records() == shared

            assert len(import_bundle(target, path)) == 0
            assert len(import_bundle(source, path)) == 0
            assert target.export_records() == shared
            assert source.export_records() == first
        finally:
            source.close()
            target.close()


# --- bundles that do not hold together are refused whole ------------------------------------


def _write(path: Path, records: dict, *, version: int = VERSION) -> Path:
    bundle = {
        "format": FORMAT,
        "version": version,
        "exported_at": "2026-01-31T09:00:00.000000Z",
        "records": records,
    }
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return path


def _state(ws: Workspace) -> tuple[dict, int]:
    return ws.export_records(), len(ws.outbox())


def _new_id() -> str:
    return str(uuid.uuid4())


def test_reference_to_a_record_in_the_workspace_is_accepted(workspace, client_id, tmp_path):
    contact, position = _new_id(), _new_id()
    path = _write(
        tmp_path / "b.json",
        {
            "contact": [{"id": contact, "name": "Ingrid Dahl"}],
            "position": [{"id": position, "contact_id": contact, "client_id": client_id}],
        },
    )
    assert len(import_bundle(workspace, path)) == 2
    assert workspace.get(kind="position", id=position)["client_id"] == client_id


def test_reference_to_a_record_nowhere_is_refused_naming_it(workspace, client_id, tmp_path):
    missing, contact, position = _new_id(), _new_id(), _new_id()
    path = _write(
        tmp_path / "b.json",
        {
            "client": [{"id": _new_id(), "name": "Kestrel Logistics"}],
            "contact": [{"id": contact, "name": "Ingrid Dahl"}],
            "position": [{"id": position, "contact_id": contact, "client_id": missing}],
        },
    )
    before = _state(workspace)
    with pytest.raises(BundleError) as caught:
        import_bundle(workspace, path)
    message = str(caught.value)
    assert position in message
    assert missing in message
    assert "client_id" in message
    assert _state(workspace) == before
    assert workspace.get_many(kind="contact", ids=[contact]) == {}


def test_reference_to_a_deleted_record_is_refused(workspace, client_id, tmp_path):
    contact = workspace.create(kind="contact", values={"name": "Per Lunde"}).created_id
    workspace.delete(kind="contact", id=contact)
    note = _new_id()
    path = _write(
        tmp_path / "b.json",
        {
            "note": [
                {"id": _new_id(), "client_id": client_id, "body": "Fine on its own.", "privacy": "team"},
                {"id": note, "contact_id": contact, "body": "About a deleted person.", "privacy": "private"},
            ]
        },
    )
    before = _state(workspace)
    with pytest.raises(BundleError) as caught:
        import_bundle(workspace, path)
    assert note in str(caught.value)
    assert contact in str(caught.value)
    assert _state(workspace) == before


@pytest.mark.parametrize("other_kind", ["contact", "client"])
def test_duplicate_ids_are_refused(workspace, client_id, tmp_path, other_kind):
    twice = _new_id()
    records = {"contact": [{"id": twice, "name": "Ingrid Dahl"}, {"id": _new_id(), "name": "Per Lunde"}]}
    records.setdefault(other_kind, []).append({"id": twice.upper(), "name": "Halvorsen Offshore"})
    path = _write(tmp_path / "b.json", records)
    before = _state(workspace)
    with pytest.raises(BundleError) as caught:
        import_bundle(workspace, path)
    assert twice in str(caught.value)
    assert "twice" in str(caught.value)
    assert _state(workspace) == before


def test_newer_bundle_version_is_refused_with_a_message_to_update(workspace, tmp_path):
    path = _write(
        tmp_path / "b.json", {"client": [{"id": _new_id(), "name": "From the future"}]}, version=VERSION + 1
    )
    before = _state(workspace)
    with pytest.raises(BundleError) as caught:
        import_bundle(workspace, path)
    assert f"version {VERSION + 1}" in str(caught.value)
    assert "Update Companion" in str(caught.value)
    assert _state(workspace) == before
    with pytest.raises(BundleError, match="Update Companion"):
        parse_bundle({"format": FORMAT, "version": VERSION + 1, "records": {}})


def test_a_current_export_parses(workspace, client_id):
    bundle = export_bundle(workspace)
    assert parse_bundle(bundle) == bundle["records"]


# --- one client's export --------------------------------------------------------------------


def _ids(records: dict[str, list[dict]]) -> dict[str, set[str]]:
    return {kind: {r["id"] for r in items} for kind, items in records.items() if items}


def test_client_export_carries_what_belongs_with_the_client(workspace, tmp_path):
    ws = workspace

    def make(kind: str, **values) -> str:
        return ws.create(kind=kind, values=values).created_id

    mira = make("colleague", name="Mira Tan")
    olaf = make("colleague", name="Olaf Berg")
    old = make("client", name="Halvorsen Offshore")
    new = make("client", name="Kestrel Logistics", tags=["nordics"])
    # Ingrid moved from Halvorsen to Kestrel; Per works at Kestrel, Ruth only at Halvorsen.
    ingrid = make("contact", name="Ingrid Dahl", owner_id=mira)
    per = make("contact", name="Per Lunde")
    ruth = make("contact", name="Ruth Ås", owner_id=olaf)
    ingrid_old = make(
        "position", contact_id=ingrid, client_id=old, title="CFO", started="2019-01-01", ended="2025-06-30"
    )
    ruth_old = make("position", contact_id=ruth, client_id=old, title="CEO", stance="opponent")
    ws.update(kind="position", id=ingrid_old, values={"reports_to_id": ruth_old})
    ingrid_new = make("position", contact_id=ingrid, client_id=new, title="CFO", started="2025-07-01")
    per_new = make("position", contact_id=per, client_id=new, title="Buyer", reports_to_id=ingrid_new)
    site = make("site", client_id=new, name="Drammen depot")
    make("site", client_id=old, name="Stavanger base")

    ingrid_note = make("note", contact_id=ingrid, body="Sails every weekend ⛵", privacy="private")
    per_note = make("note", contact_id=per, body="Prefers email.", privacy="team")
    make("note", contact_id=ruth, body="Holds grudges.", privacy="private")
    new_note = make("note", client_id=new, body="Growing fast.", privacy="induction_safe")
    site_note = make("note", site_id=site, body="Badge at gate 2.", privacy="team")
    make("note", client_id=old, body="Old client.", privacy="team")
    tie = make("relationship", from_contact_id=ingrid, to_contact_id=per, type="ally")
    make("relationship", from_contact_id=ingrid, to_contact_id=ruth, type="former_colleague")
    make("relationship", from_contact_id=ruth, to_contact_id=per, type="rival")
    rule = make("guideline", client_id=new, polarity="do", text="Arrive early", scope="site", site_id=site)
    make(
        "guideline",
        client_id=old,
        polarity="dont",
        text="Mention the merger",
        scope="contact",
        contact_id=ingrid,
    )
    talk = make("interaction", client_id=new, date="2026-03-01", channel="call", contact_ids=[ingrid, per])
    make("interaction", client_id=old, date="2024-03-01", channel="meeting", contact_ids=[ingrid, ruth])
    make(
        "meeting",
        client_id=old,
        title="Farewell",
        starts_at="2025-06-30T15:00:00+02:00",
        contact_ids=[ingrid],
    )

    exported = ws.export_records(client_id=new)
    assert _ids(exported) == {
        "colleague": {mira},
        "client": {new},
        "site": {site},
        "contact": {ingrid, per},
        "position": {ingrid_new, per_new},
        "relationship": {tie},
        "guideline": {rule},
        "note": {ingrid_note, per_note, new_note, site_note},
        "interaction": {talk},
    }

    # The file leaves Ingrid's private note behind: private notes never appear in an export.
    shared = shareable(exported)
    assert _ids(shared)["note"] == {per_note, new_note, site_note}
    path = tmp_path / "kestrel.json"
    assert write_bundle(ws, path, client_id=new) == _count(shared)
    assert "Sails every weekend" not in path.read_text(encoding="utf-8")
    fresh = Workspace.open(tmp_path / "fresh.sqlite")
    try:
        assert len(import_bundle(fresh, path)) == _count(shared)
        assert fresh.export_records() == shared
        assert len(import_bundle(fresh, path)) == 0
    finally:
        fresh.close()


def test_client_export_brings_the_clients_owner_along(workspace, tmp_path):
    owner = workspace.create(kind="colleague", values={"name": "Mira Tan"}).created_id
    client = workspace.create(
        kind="client", values={"name": "Kestrel Logistics", "owner_id": owner}
    ).created_id
    workspace.create(kind="colleague", values={"name": "Olaf Berg"})
    assert _ids(workspace.export_records(client_id=client)) == {"client": {client}, "colleague": {owner}}

    path = tmp_path / "kestrel.json"
    write_bundle(workspace, path, client_id=client)
    fresh = Workspace.open(tmp_path / "fresh.sqlite")
    try:
        assert len(import_bundle(fresh, path)) == 2
        assert fresh.get(kind="client", id=client)["owner_id"] == owner
    finally:
        fresh.close()


def _sales(draw, records, add, maybe, some) -> None:
    """Propositions, cohorts, campaigns with their targets, opportunities with their people and actions."""
    clients, contacts, colleagues = records["client"], records["contact"], records["colleague"]
    for _ in range(draw(st.integers(0, 2))):
        values = draw(plain_values("proposition"))
        add("proposition", {**values, "owner_id": maybe(colleagues), "sponsor_id": maybe(colleagues)})
    for _ in range(draw(st.integers(0, 2))):
        values = draw(plain_values("cohort", skip=("field_name", "field_value")))
        if draw(st.booleans()):  # a field's value: both halves or neither
            for name in ("field_name", "field_value"):
                values[name] = draw(value_of(KINDS_BY_NAME["cohort"].field(name)))
        add("cohort", {**values, "owner_ids": some(colleagues), "added_ids": some(clients),
                       "excluded_ids": some(clients)})  # fmt: skip
    if records["proposition"] and records["cohort"]:
        for _ in range(draw(st.integers(0, 2))):
            values = draw(plain_values("campaign", skip=("starts", "ends")))
            first, second = sorted(draw(st.lists(_DATES.map(dt.date.isoformat), min_size=2, max_size=2)))
            values.update(starts=first if draw(st.booleans()) else None, ends=second)
            add("campaign", {**values, "proposition_id": draw(st.sampled_from(records["proposition"]))["id"],
                             "cohort_id": draw(st.sampled_from(records["cohort"]))["id"],
                             "owner_id": maybe(colleagues)})  # fmt: skip
    for client in clients:
        for _ in range(draw(st.integers(0, 2))):
            values = draw(plain_values("opportunity"))
            if values["stage"] in ("won", "lost") and "outcome_reason" not in values:
                values["outcome_reason"] = "Price and the pilot's results"
            opportunity = add("opportunity", {
                **values,
                "client_id": client["id"],
                "sub_group_id": maybe(records["sub_group"], client_id=client["id"]),
                "proposition_id": maybe(records["proposition"]),
                "campaign_id": maybe(records["campaign"]),
                "owner_id": maybe(colleagues),
                "competitor_ids": some(records["competitor"]),
                "economic_buyer_id": maybe(contacts),
                "champion_id": maybe(contacts),
            })  # fmt: skip
            for _ in range(draw(st.integers(0, 2))):
                add("opportunity_contact", {**draw(plain_values("opportunity_contact")),
                                            "opportunity_id": opportunity["id"],
                                            "contact_id": draw(st.sampled_from(contacts))["id"]})  # fmt: skip
            if draw(st.booleans()):
                add("action", {**draw(plain_values("action")), "opportunity_id": opportunity["id"]})
            if draw(st.booleans()):
                add("risk", {**draw(plain_values("risk")), "client_id": client["id"],
                             "opportunity_id": opportunity["id"]})  # fmt: skip
        for campaign in records["campaign"]:
            if not draw(st.booleans()):
                continue
            values = draw(plain_values("campaign_target"))
            if values["status"] in ("declined", "not_relevant") and "reason" not in values:
                values["reason"] = "Budget frozen until spring"
            contact = maybe(contacts)
            route = maybe([c for c in contacts if c["id"] != contact])
            add("campaign_target", {**values, "campaign_id": campaign["id"], "client_id": client["id"],
                                    "contact_id": contact, "route_via_id": route,
                                    "opportunity_id": maybe(records["opportunity"], client_id=client["id"])})  # fmt: skip


def _reviews(draw, records, add, maybe) -> None:
    """Reviews with their agreed actions, success-factor ratings, surveys with questions, responses and
    answers."""
    iso_dates = _DATES.map(dt.date.isoformat)
    for client in records["client"]:
        for _ in range(draw(st.integers(0, 2))):
            values = draw(plain_values("review", skip=("period_from", "period_to")))
            first, second = sorted(draw(st.lists(iso_dates, min_size=2, max_size=2)))
            values.update(period_from=first if draw(st.booleans()) else None, period_to=second)
            review = add("review", {**values, "client_id": client["id"],
                                    "meeting_id": maybe(records["meeting"], client_id=client["id"])})  # fmt: skip
            if draw(st.booleans()):
                add("action", {**draw(plain_values("action")), "review_id": review["id"]})
        for _ in range(draw(st.integers(0, 2))):
            values = draw(plain_values("success_factor_rating", skip=("period_to",)))
            if draw(st.booleans()):
                values["period_to"] = max(values["period_from"], draw(iso_dates))
            add("success_factor_rating", {**values, "client_id": client["id"]})
    for _ in range(draw(st.integers(0, 2))):
        values = draw(plain_values("survey", skip=("starts", "ends")))
        first, second = sorted(draw(st.lists(iso_dates, min_size=2, max_size=2)))
        values.update(starts=first if draw(st.booleans()) else None, ends=second)
        survey = add("survey", values)
        questions = [
            add("survey_question", {**draw(plain_values("survey_question")), "survey_id": survey["id"]})
            for _ in range(draw(st.integers(0, 3)))
        ]
        for _ in range(draw(st.integers(0, 2))):
            client = draw(st.sampled_from(records["client"]))["id"]
            response = add("survey_response", {**draw(plain_values("survey_response")), "survey_id": survey["id"],
                                               "client_id": client, "contact_id": maybe(records["contact"]),
                                               "meeting_id": maybe(records["meeting"], client_id=client)})  # fmt: skip
            for question in questions:
                add("survey_answer", {**draw(plain_values("survey_answer")), "response_id": response["id"],
                                      "question_id": question["id"]})  # fmt: skip
