"""The command line end to end: real processes on real workspace files, as a person would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from companion import __version__
from companion.app.config import DATA_DIR_ENV, workspace_path
from companion.app.opener import open_workspace
from companion.interchange.bundle import whole
from companion.model.kinds import KINDS

CLIENT_NAME = "Société Générale d'Électricité"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run(data_dir: Path | None, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs `python -m companion [--data-dir DIR] ARGS…` in the data folder's parent."""
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return subprocess.run(
        [sys.executable, "-m", "companion", *prefix, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env or _env(),
        cwd=data_dir.parent if data_dir is not None else None,
        timeout=300,
        check=False,
    )


def ok(data_dir: Path | None, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(data_dir, *args, env=env)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return result.stdout


def ok_json(data_dir: Path, *args: str):
    return json.loads(ok(data_dir, *args, "--json"))


def added_id(data_dir: Path, *args: str) -> str:
    out = ok(data_dir, "add", *args)
    record_id = out.strip()
    assert out == record_id + "\n"
    assert str(uuid.UUID(record_id)) == record_id
    return record_id


def snapshot(data_dir: Path) -> tuple[dict, int]:
    """Everything live in the workspace, with its timestamps, and the number of outbox entries."""
    ws = open_workspace(workspace_path(data_dir))
    try:
        return ws.export_records(), len(ws.outbox())
    finally:
        ws.close()


def assert_bad_input(result: subprocess.CompletedProcess, *names: str) -> None:
    """Exit 2, nothing on stdout, and exactly one line on stderr naming what is wrong."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], f"{name!r} not named in: {lines[0]}"


def load_bundle(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def seeded(data_dir) -> dict[str, str]:
    """A workspace with a client, a person and their position there, made through the services."""
    ws = open_workspace(workspace_path(data_dir))
    try:
        client = ws.create(kind="client", values={"name": CLIENT_NAME}).created_id
        contact = ws.create(
            kind="contact", values={"name": "Zoë Lindqvist", "relationship_strength": 3}
        ).created_id
        position = ws.create(
            kind="position", values={"contact_id": contact, "client_id": client, "title": "CFO"}
        ).created_id
    finally:
        ws.close()
    return {"client": client, "contact": contact, "position": position}


# --- reading the kinds and the version ----------------------------------------------------


def test_version(tmp_path):
    assert ok(tmp_path / "data", "--version").strip() == f"companion {__version__}"


def test_kinds_lists_every_kind_with_its_fields(data_dir):
    out = ok(data_dir, "kinds")
    listed: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if not line.strip():
            continue
        if line.startswith(" "):
            listed[current].append(line.split()[0])
        else:
            current = line.split()[0]
            listed[current] = []
    assert listed == {k.name: list(k.field_names) for k in KINDS}
    for kind in KINDS:
        assert f"({kind.label})" in out


def test_kinds_json_gives_every_kind_with_its_fields_and_rules(data_dir):
    data = ok_json(data_dir, "kinds")
    assert [entry["kind"] for entry in data] == [k.name for k in KINDS]
    for entry, kind in zip(data, KINDS, strict=True):
        assert entry["label"] == kind.label
        assert [f["name"] for f in entry["fields"]] == list(kind.field_names)
        for shown, f in zip(entry["fields"], kind.fields, strict=True):
            assert shown["type"] == f.type
            assert shown["label"] == f.label
            assert shown["required"] == f.required
            assert shown.get("choices", []) == list(f.choices)
            assert shown.get("ref_kind") == f.ref_kind
            assert shown.get("min") == f.min
            assert shown.get("max") == f.max


# --- add, list, show, set, delete ---------------------------------------------------------


def test_add_prints_the_new_id_and_json_prints_the_record(data_dir):
    client = added_id(data_dir, "client", f"name={CLIENT_NAME}", "tags=nordics, energy", "status=active")
    record = json.loads(
        ok(
            data_dir,
            "add",
            "contact",
            "name=Zoë Lindqvist",
            "relationship_strength=4",
            "difficult=yes",
            "--json",
        )
    )
    assert record["kind"] == "contact"
    assert str(uuid.UUID(record["id"])) == record["id"]
    assert record["name"] == "Zoë Lindqvist"
    assert record["relationship_strength"] == 4
    assert record["difficult"] is True
    assert record["created_at"] == record["updated_at"]
    shown = ok_json(data_dir, "show", "client", client)
    assert shown["name"] == CLIENT_NAME
    assert shown["tags"] == ["nordics", "energy"]
    assert shown["status"] == "active"
    assert ok_json(data_dir, "show", "contact", record["id"]) == record


def test_list_and_show(data_dir):
    first = added_id(data_dir, "client", f"name={CLIENT_NAME}", "industry=Energy")
    second = added_id(data_dir, "client", "name=Kestrel Logistics")
    lines = ok(data_dir, "list", "client").splitlines()
    assert sorted(lines) == sorted([f"{first}  {CLIENT_NAME}", f"{second}  Kestrel Logistics"])
    listed = ok_json(data_dir, "list", "client")
    assert {r["id"]: r["name"] for r in listed} == {first: CLIENT_NAME, second: "Kestrel Logistics"}
    assert all(r["kind"] == "client" for r in listed)
    assert ok(data_dir, "list", "contact") == ""
    assert ok_json(data_dir, "list", "contact") == []

    text = ok(data_dir, "show", "client", first)
    assert text.splitlines()[0] == f"Client {first}"
    assert CLIENT_NAME in text
    assert "Energy" in text
    shown = ok_json(data_dir, "show", "client", first)
    assert shown == next(r for r in listed if r["id"] == first)
    assert shown["industry"] == "Energy"


def test_set_changes_fields_and_show_reflects_it(data_dir):
    client = added_id(data_dir, "client", f"name={CLIENT_NAME}", "industry=Energy")
    out = ok(
        data_dir,
        "set",
        "client",
        client,
        "status=dormant",
        "website=sge.example.com",
        "summary=Line one\nLine two",
    )
    assert out.strip() == "changed: status, summary, website"
    shown = ok_json(data_dir, "show", "client", client)
    assert shown["status"] == "dormant"
    assert shown["website"] == "https://sge.example.com"
    assert shown["summary"] == "Line one\nLine two"
    assert shown["industry"] == "Energy"
    assert shown["updated_at"] >= shown["created_at"]
    text = ok(data_dir, "show", "client", client)
    assert "    Line one" in text and "    Line two" in text

    assert ok(data_dir, "set", "client", client, "status=dormant").strip() == "nothing changed"
    assert ok(data_dir, "set", "client", client, "industry=").strip() == "changed: industry"
    assert "industry" not in ok_json(data_dir, "show", "client", client)


def test_plan_records_are_added_and_set_with_numbers_as_people_write_them(data_dir):
    client = added_id(data_dir, "client", f"name={CLIENT_NAME}")
    plan = added_id(data_dir, "account_plan", f"client_id={client}", "title=Plan 2027", "status=active")
    objective = added_id(data_dir, "objective", f"plan_id={plan}", "title=Monitor every vessel")
    measure = added_id(
        data_dir, "measure", f"objective_id={objective}", "name=Share", "unit=percent", "target=40"
    )
    added_id(data_dir, "measure_reading", f"measure_id={measure}", "date=2026-11-30", "value=12,5%")
    contract = added_id(
        data_dir, "contract", f"client_id={client}", "title=Frame", "value=1 250 000", "currency=nok"
    )
    shown = ok_json(data_dir, "show", "contract", contract)
    assert (shown["value"], shown["currency"]) == (1_250_000.0, "NOK")
    assert "Value:       1250000\n" in ok(data_dir, "show", "contract", contract)  # as typed back, no ".0"
    (reading,) = ok_json(data_dir, "list", "measure_reading")
    assert reading["value"] == 12.5
    second = run(data_dir, "add", "account_plan", f"client_id={client}", "title=Plan 2028", "status=active")
    assert (
        second.returncode == 2
        and "Plan 2027" in second.stderr
        and len(second.stderr.strip().splitlines()) == 1
    )
    assert "Plan 2027" in ok(data_dir, "search", "plan 2027")


def test_delete_removes_the_record(data_dir):
    client = added_id(data_dir, "client", "name=Kestrel Logistics")
    assert ok(data_dir, "delete", "client", client).strip() == "deleted 1 record"
    assert ok_json(data_dir, "list", "client") == []
    gone = run(data_dir, "show", "client", client)
    assert gone.returncode == 2
    assert client in gone.stderr
    assert len(gone.stderr.strip().splitlines()) == 1


def test_delete_of_a_client_still_in_use_is_refused_until_cascade(data_dir, seeded):
    before = snapshot(data_dir)
    refused = run(data_dir, "delete", "client", seeded["client"])
    assert refused.returncode == 1
    assert refused.stdout == ""
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert CLIENT_NAME in lines[0]
    assert "1 position" in lines[0]
    assert snapshot(data_dir) == before

    assert ok(data_dir, "delete", "client", seeded["client"], "--cascade").strip() == "deleted 2 records"
    assert ok_json(data_dir, "list", "client") == []
    assert ok_json(data_dir, "list", "position") == []
    # The person is not the client's: they stay, with their history.
    assert [r["id"] for r in ok_json(data_dir, "list", "contact")] == [seeded["contact"]]


# --- search ---------------------------------------------------------------------------------


def test_search_by_prefix_and_without_diacritics(data_dir):
    client = added_id(data_dir, "client", f"name={CLIENT_NAME}")
    contact = added_id(data_dir, "contact", "name=Zoë Çelik", "personality=Loves crème brûlée")
    other = added_id(data_dir, "client", "name=Kestrel Logistics")

    def found(text: str) -> list[str]:
        return [line.split()[1] for line in ok(data_dir, "search", text).splitlines()]

    assert found("soc") == [client]
    assert found("Soci") == [client]
    assert found("electricite") == [client]
    assert found("Électricité") == [client]
    assert found("zoe celik") == [contact]
    assert found("creme brulee") == [contact]
    assert found("kest") == [other]
    assert found("nobody") == []

    hits = ok_json(data_dir, "search", "generale")
    assert hits == [{"kind": "client", "id": client, "title": CLIENT_NAME, "in_name": True}]
    hits = ok_json(data_dir, "search", "brulee")
    assert hits == [{"kind": "contact", "id": contact, "title": "Zoë Çelik", "in_name": False}]


# --- export and import ----------------------------------------------------------------------


def _build_small_workspace(data_dir: Path) -> dict[str, str]:
    ids = {}
    ids["colleague"] = added_id(data_dir, "colleague", "name=Mira Tan", "email=mira@ourco.example")
    ids["client"] = added_id(
        data_dir,
        "client",
        f"name={CLIENT_NAME}",
        f"owner_id={ids['colleague']}",
        "aliases=SGE, Électricité 🚀",
    )
    ids["contact"] = added_id(data_dir, "contact", "name=Zoë Lindqvist", "emails=zoe@sge.example")
    ids["position"] = added_id(
        data_dir, "position", f"contact_id={ids['contact']}", f"client_id={ids['client']}", "title=CFO"
    )
    ids["note"] = added_id(
        data_dir,
        "note",
        f"contact_id={ids['contact']}",
        "privacy=team",
        "body=# Likes\n\n- sailing ⛵\n- crème brûlée",
    )
    ids["interaction"] = added_id(
        data_dir, "interaction", f"client_id={ids['client']}", "date=2026-03-01", "channel=call",
        f"contact_ids={ids['contact']}",
    )  # fmt: skip
    ids["meeting"] = added_id(
        data_dir, "meeting", f"client_id={ids['client']}", "title=Quarterly review",
        "starts_at=2026-12-01T09:00:00+01:00", "ends_at=2026-12-01T10:30:00+01:00",
    )  # fmt: skip
    return ids


def test_export_then_import_into_a_fresh_workspace_gives_the_same_records(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    _build_small_workspace(source)
    bundle = tmp_path / "bundle.json"
    out = ok(source, "export", "--out", str(bundle))
    assert out.strip() == f"exported 7 records to {bundle}"
    data = load_bundle(bundle)
    assert "sailing" in bundle.read_text(encoding="utf-8")  # a team note travels
    assert data["format"] == "companion-bundle"
    assert data["app_version"] == __version__

    assert ok(target, "import", str(bundle)).strip() == "added 7"
    assert whole(snapshot(target)[0]) == whole(snapshot(source)[0]) == data["records"]
    again = tmp_path / "again.json"
    ok(target, "export", "--out", str(again))
    assert load_bundle(again)["records"] == data["records"]

    before = snapshot(target)
    assert ok(target, "import", str(bundle)).strip() == "nothing changed"
    assert ok(source, "import", str(bundle)).strip() == "nothing changed"
    assert snapshot(target) == before


def test_private_notes_never_leave_in_an_export(tmp_path):
    source = tmp_path / "source"
    ids = _build_small_workspace(source)
    ok(source, "set", "note", ids["note"], "privacy=private")
    bundle = tmp_path / "bundle.json"
    out = ok(source, "export", "--out", str(bundle))
    assert out.strip() == f"exported 6 records to {bundle} (1 private note left out)"
    assert "sailing" not in bundle.read_text(encoding="utf-8")
    assert "note" not in load_bundle(bundle)["records"]


def test_export_of_one_client_imports_on_its_own(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    mine = _build_small_workspace(source)
    other = added_id(source, "client", "name=Kestrel Logistics")
    stranger = added_id(source, "contact", "name=Per Lunde")
    added_id(source, "position", f"contact_id={stranger}", f"client_id={other}", "title=Buyer")
    added_id(source, "guideline", f"client_id={other}", "polarity=do", "scope=client", "text=Arrive early")

    bundle = tmp_path / "client.json"
    ok(source, "export", "--client", mine["client"], "--out", str(bundle))
    records = load_bundle(bundle)["records"]
    # The bundle imports on its own into an empty workspace...
    assert ok(target, "import", str(bundle)).startswith("added ")
    # ...and holds the client, its people, their notes and our owner, but nothing of the other client.
    exported = {kind: {r["id"] for r in items} for kind, items in records.items()}
    assert exported == {
        "colleague": {mine["colleague"]},
        "client": {mine["client"]},
        "contact": {mine["contact"]},
        "position": {mine["position"]},
        "note": {mine["note"]},
        "interaction": {mine["interaction"]},
        "meeting": {mine["meeting"]},
    }
    assert [r["id"] for r in ok_json(target, "list", "client")] == [mine["client"]]
    assert [r["id"] for r in ok_json(target, "list", "contact")] == [mine["contact"]]
    assert [r["id"] for r in ok_json(target, "list", "position")] == [mine["position"]]
    assert [r["id"] for r in ok_json(target, "list", "note")] == [mine["note"]]
    assert whole(snapshot(target)[0]) == records
    assert ok(target, "import", str(bundle)).strip() == "nothing changed"


# --- demo and synthetic workspaces ----------------------------------------------------------


def test_demo_loads_and_loading_it_twice_changes_nothing(data_dir):
    out = ok(data_dir, "demo")
    assert out.startswith("added ")
    records, _ = snapshot(data_dir)
    assert records.get("client")
    assert records.get("contact")
    assert ok(data_dir, "demo").strip() == "nothing changed"
    assert snapshot(data_dir)[0] == records


def test_synthetic_workspace_is_the_same_for_the_same_seed(tmp_path):
    exports = []
    for name in ("one", "two"):
        folder = tmp_path / name
        assert ok(folder, "demo", "--synthetic", "3", "--seed", "7").startswith("added ")
        bundle = tmp_path / f"{name}.json"
        ok(folder, "export", "--out", str(bundle))
        data = load_bundle(bundle)
        del data["exported_at"]
        exports.append(data)
    assert exports[0] == exports[1]
    assert len(exports[0]["records"]["client"]) == 3
    assert ok(tmp_path / "one", "demo", "--synthetic", "3", "--seed", "7").strip() == "nothing changed"

    ok(tmp_path / "three", "demo", "--synthetic", "3", "--seed", "8")
    bundle = tmp_path / "three.json"
    ok(tmp_path / "three", "export", "--out", str(bundle))
    assert load_bundle(bundle)["records"] != exports[0]["records"]


def test_synthetic_needs_at_least_one_client(data_dir, seeded):
    before = snapshot(data_dir)
    assert_bad_input(run(data_dir, "demo", "--synthetic", "0"), "--synthetic")
    assert snapshot(data_dir) == before


# --- bad input: exit 2, one line naming the problem, nothing written --------------------------

MISSING = "0191d7a0-0000-7000-8000-000000000000"

BAD_COMMANDS = [
    pytest.param(("add", "planet", "name=Mars"), ("planet",), id="add-unknown-kind"),
    pytest.param(("list", "planet"), ("planet",), id="list-unknown-kind"),
    pytest.param(("show", "planet", "{client}"), ("planet",), id="show-unknown-kind"),
    pytest.param(("add", "client", "name=Kestrel", "colour=blue"), ("colour",), id="add-unknown-field"),
    pytest.param(("set", "client", "{client}", "colour=blue"), ("colour",), id="set-unknown-field"),
    pytest.param(
        ("add", "contact", "name=Per Lunde", "relationship_strength=9"),
        ("relationship_strength", "9"),
        id="strength-too-high",
    ),
    pytest.param(
        ("set", "contact", "{contact}", "relationship_strength=0"),
        ("relationship_strength", "0"),
        id="set-strength",
    ),
    pytest.param(
        ("add", "contact", "name=Per Lunde", "relationship_strength=strong"),
        ("relationship_strength", "strong"),
        id="strength-not-a-number",
    ),
    pytest.param(("add", "colleague", "name=Mira Tan", "email=mira@"), ("email", "mira@"), id="bad-email"),
    pytest.param(
        ("set", "contact", "{contact}", "emails=zoe at sge"), ("emails", "zoe at sge"), id="bad-emails"
    ),
    pytest.param(
        ("add", "interaction", "date=2026-02-30", "channel=call"), ("date", "2026-02-30"), id="bad-date"
    ),
    pytest.param(
        ("set", "position", "{position}", "started=next tuesday"),
        ("started", "next tuesday"),
        id="set-bad-date",
    ),
    pytest.param(("add", "client", "name=Kestrel", "status=huge"), ("status", "huge"), id="bad-enum"),
    pytest.param(
        ("add", "contract", "client_id={client}", "title=Frame", "value=lots"),
        ("value", "lots"),
        id="bad-number",
    ),
    pytest.param(
        ("add", "contract", "client_id={client}", "title=Frame", "currency=euro"),
        ("currency", "EURO"),
        id="bad-currency",
    ),
    pytest.param(
        ("add", "risk", "client_id={client}", "title=Sponsor retires", "status=open", "likelihood=9"),
        ("likelihood", "9"),
        id="risk-out-of-scale",
    ),
    pytest.param(("set", "client", "{client}", "website=not a url"), ("website",), id="bad-url"),
    pytest.param(("add", "client", "name"), ("'name'", "field=value"), id="no-equals"),
    pytest.param(
        ("set", "client", "{client}", "industry"), ("'industry'", "field=value"), id="set-no-equals"
    ),
    pytest.param(("add", "client", "industry=Energy"), ("name", "required"), id="missing-required"),
    pytest.param(
        ("add", "position", "contact_id={contact}", f"client_id={MISSING}"),
        ("client_id", MISSING),
        id="dangling-ref",
    ),
]


@pytest.mark.parametrize(("args", "names"), BAD_COMMANDS)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(data_dir, seeded, args, names):
    before = snapshot(data_dir)
    args = tuple(arg.format(**seeded) for arg in args)
    assert_bad_input(run(data_dir, *args), *names)
    assert snapshot(data_dir) == before


def _good_bundle_records() -> dict[str, list[dict]]:
    client, contact = str(uuid.uuid4()), str(uuid.uuid4())
    return {
        "client": [{"id": client, "name": "Kestrel Logistics"}],
        "contact": [
            {"id": contact, "name": "Per Lunde"},
            {"id": str(uuid.uuid4()), "name": "Ada Quist", "emails": ["ada@kestrel.example"]},
        ],
        "position": [{"id": str(uuid.uuid4()), "contact_id": contact, "client_id": client, "title": "Buyer"}],
    }


def _bundle(records: dict) -> dict:
    return {"format": "companion-bundle", "version": 1, "records": records}


def _with_bad_record(field: str, value: object) -> tuple[dict, str]:
    records = _good_bundle_records()
    bad_id = str(uuid.uuid4())
    records["contact"].insert(1, {"id": bad_id, "name": "Bad Apple", field: value})
    return _bundle(records), bad_id


BAD_BUNDLES = [
    pytest.param('{"format": "companion-bundle", "records": {', ("not valid JSON",), id="not-json"),
    pytest.param("", ("not valid JSON",), id="empty-file"),
    pytest.param("[1, 2, 3]", ("not a Companion bundle",), id="json-list"),
    pytest.param(json.dumps({"records": {}}), ("not a Companion bundle",), id="no-format"),
    pytest.param(json.dumps({"format": "companion-bundle", "version": 1}), ('"records"',), id="no-records"),
    pytest.param(
        json.dumps(_bundle({"planet": [{"id": str(uuid.uuid4())}]})), ("planet",), id="unknown-kind"
    ),
    pytest.param(
        json.dumps({**_bundle({}), "version": 99}), ("version 99", "Update Companion"), id="newer-version"
    ),
]


@pytest.mark.parametrize(("text", "names"), BAD_BUNDLES)
def test_malformed_bundle_exits_2_and_writes_nothing(tmp_path, data_dir, seeded, text, names):
    path = tmp_path / "bundle.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot(data_dir)
    assert_bad_input(run(data_dir, "import", str(path)), *names)
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("field", "value", "names"),
    [
        ("relationship_strength", 9, ("relationship_strength", "9")),
        ("emails", ["not an email"], ("emails", "not an email")),
        ("colour", "blue", ("colour",)),
        ("owner_id", MISSING, ("owner_id", MISSING)),
    ],
)
def test_bundle_with_one_bad_record_among_good_ones_imports_nothing(
    tmp_path, data_dir, seeded, field, value, names
):
    bundle, bad_id = _with_bad_record(field, value)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    before = snapshot(data_dir)
    assert_bad_input(run(data_dir, "import", str(path)), bad_id, *names)
    assert snapshot(data_dir) == before
    ws = open_workspace(workspace_path(data_dir))
    try:
        for kind, items in bundle["records"].items():
            found = ws.get_many(kind=kind, ids=[item["id"] for item in items])
            assert found == {}, f"{kind} records of a refused bundle were written"
    finally:
        ws.close()


def test_missing_bundle_file_exits_2(tmp_path, data_dir, seeded):
    before = snapshot(data_dir)
    assert_bad_input(run(data_dir, "import", str(tmp_path / "nowhere.json")), "nowhere.json")
    assert snapshot(data_dir) == before


# --- where the workspace lives ----------------------------------------------------------------


def test_data_dir_env_var_selects_the_folder(tmp_path):
    folder = tmp_path / "from-env"
    env = _env(**{DATA_DIR_ENV: str(folder)})
    client = ok(None, "add", "client", "name=Kestrel Logistics", env=env).strip()
    assert workspace_path(folder).exists()
    assert [r["id"] for r in json.loads(ok(None, "list", "client", "--json", env=env))] == [client]
    assert [r["id"] for r in snapshot(folder)[0]["client"]] == [client]

    # --data-dir wins over the environment.
    other = tmp_path / "from-flag"
    assert json.loads(ok(other, "list", "client", "--json", env=env)) == []
    assert workspace_path(other).exists()
    assert [r["id"] for r in snapshot(folder)[0]["client"]] == [client]


# --- meetings -------------------------------------------------------------------------------


def _first_meeting(data_dir: Path) -> str:
    ok(data_dir, "demo")
    listing = ok(data_dir, "meeting", "list").splitlines()
    assert len(listing) == 4 and all("%" in line for line in listing)
    return listing[0].split()[0]


def test_meeting_checklist_brief_pdf_and_ics(data_dir, tmp_path):
    meeting = _first_meeting(data_dir)
    checklist = ok(data_dir, "meeting", "checklist", meeting)
    assert checklist.startswith("0% ticked (0 of ")
    assert "  [ ] Dress code" in checklist
    pdf = tmp_path / "brief.pdf"
    assert (
        ok(data_dir, "meeting", "brief", meeting, "--pdf", str(pdf), "--page-size", "letter")
        == f"wrote {pdf}\n"
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mette Brekke" in text and "Dress code" in text
    assert ok(data_dir, "meeting", "brief", meeting).startswith("# ")
    ics = ok(data_dir, "meeting", "ics", meeting)
    assert ics.startswith("BEGIN:VCALENDAR") and f"UID:{meeting}@companion" in ics


def test_meeting_import_of_an_invalid_file_exits_2_and_writes_nothing(data_dir, tmp_path):
    _first_meeting(data_dir)
    before = snapshot(data_dir)
    bad = tmp_path / "invite.ics"
    bad.write_text("not a calendar\n")
    assert_bad_input(run(data_dir, "meeting", "import-ics", str(bad)), "invite.ics", "not an iCalendar")
    assert snapshot(data_dir) == before


def test_meeting_log_marks_it_held_and_records_follow_ups(data_dir):
    meeting = _first_meeting(data_dir)
    out = ok(
        data_dir,
        "meeting",
        "log",
        meeting,
        "--summary",
        "Went well",
        "--follow-up",
        "Send the pilot outline @ 2026-12-20",
    )
    assert out.startswith("added 2")
    records, _ = snapshot(data_dir)
    (held,) = [m for m in records["meeting"] if m["id"] == meeting]
    assert held["status"] == "held"
    assert any(
        f["text"] == "Send the pilot outline" and f["due"] == "2026-12-20" for f in records["follow_up"]
    )
    assert_bad_input(run(data_dir, "meeting", "log", meeting, "--summary", "Again"), "logged already")


# --- induction packs --------------------------------------------------------------------------


def test_pack_files_sign_off_and_status(data_dir, tmp_path):
    ids = _build_small_workspace(data_dir)
    ok(
        data_dir,
        "add",
        "note",
        f"client_id={ids['client']}",
        "privacy=private",
        "body=SECRET-7f3 about the CEO",
    )
    ok(
        data_dir,
        "add",
        "note",
        f"client_id={ids['client']}",
        "privacy=induction_safe",
        "body=SHARED-2b9 lunch is late",
    )
    markdown = ok(data_dir, "pack", ids["client"])
    assert (
        markdown.startswith("# Induction pack: ")
        and "SHARED-2b9" in markdown
        and "SECRET-7f3" not in markdown
    )
    pdf, html = tmp_path / "pack.pdf", tmp_path / "pack.html"
    out = ok(data_dir, "pack", ids["client"], "--pdf", str(pdf), "--html", str(html), "--page-size", "letter")
    assert out.splitlines() == [f"wrote {html}", f"wrote {pdf}"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SHARED-2b9" in text and "SECRET-7f3" not in text
    assert "SECRET-7f3" not in html.read_text(encoding="utf-8")
    assert (
        ok(data_dir, "pack", ids["client"], "--status").strip()
        == "never    Mira Tan: has never signed this pack"
    )
    signed = ok(data_dir, "pack", ids["client"], "--sign-off", ids["colleague"])
    assert signed.startswith("signed off version 1 (")
    status = ok(data_dir, "pack", ids["client"], "--status").strip()
    assert status == "cleared  Mira Tan: read the current version 1"
