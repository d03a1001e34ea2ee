"""`companion import-contacts`, `export-contacts` and `merge` end to end: real processes on a real workspace file."""

from __future__ import annotations

import pytest

from companion.app.config import workspace_path
from companion.app.opener import open_workspace
from tests.cli.test_cli import _env, assert_bad_input, ok, run

VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Kari Nordmann
N:Nordmann;Kari;;;
ORG:Halvorsen Offshore
TITLE:CFO
EMAIL;TYPE=WORK:kari@hos.no
TEL;TYPE=CELL:+47 900 11 222
BDAY:1975-02-01
NOTE:Met at ONS.
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Per Lunde
ORG:Nordkyst Services
EMAIL;TYPE=HOME:per@lunde.no
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Kari Nordman
ORG:HOS
EMAIL;TYPE=HOME:kn@gmail.com
END:VCARD
"""


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    ws = open_workspace(workspace_path(data))
    try:
        ws.create(kind="client", values={"name": "Halvorsen Offshore", "aliases": ["HOS"]})
    finally:
        ws.close()
    return data


def _people(data_dir) -> dict[str, dict]:
    ws = open_workspace(workspace_path(data_dir))
    try:
        return {c["name"]: c.values | {"id": c.id} for c in ws.list(kind="contact")}
    finally:
        ws.close()


def test_a_vcard_previewed_imported_and_imported_again(data_dir, tmp_path):
    cards = tmp_path / "people.vcf"
    cards.write_text(VCARDS, encoding="utf-8")
    preview = ok(data_dir, "import-contacts", str(cards), "--dry-run")
    lines = preview.splitlines()
    assert lines[0] == f"{cards} (vCard): 3 cards: 2 new, 0 same, 1 possible; 0 problems"
    assert lines[1].startswith(
        "new       card 1  Kari Nordmann: position CFO at Halvorsen Offshore, work email kari@hos.no"
    )
    assert lines[2] == (
        "new       card 2  Per Lunde; “Nordkyst Services” is no client here (--new-clients makes it one): "
        "email per@lunde.no"
    )
    assert lines[3].startswith(
        "possible  card 3  Kari Nordman → Kari Nordmann (Halvorsen Offshore) [similar name ("
    )
    assert lines[-1] == "dry run: nothing written"
    assert _people(data_dir) == {}

    out = ok(data_dir, "import-contacts", str(cards), "--new-clients", "--possible", "merge")
    assert out.splitlines()[-1] == "wrote: added 2 people, 1 new client"
    people = _people(data_dir)
    assert sorted(people) == ["Kari Nordmann", "Per Lunde"]
    assert people["Kari Nordmann"]["emails"] == ["kn@gmail.com"]  # the possible duplicate, merged as asked

    again = ok(data_dir, "import-contacts", str(cards), "--new-clients", "--possible", "merge")
    assert again.splitlines()[0].endswith("3 cards: 0 new, 3 same, 0 possible; 0 problems")
    assert again.splitlines()[-1] == "nothing written: 3 unchanged"
    assert _people(data_dir) == people


def test_a_csv_with_its_columns_mapped_into_one_client(data_dir, tmp_path):
    table = tmp_path / "crm.csv"
    table.write_text(
        "Who;Mail;Mobile phone;Role\nIngrid Dahl;ingrid@hos.no;900 11 333;Buyer\nLars Berg;lars@hos.no;;\n",
        encoding="utf-8",
    )
    out = ok(
        data_dir, "import-contacts", str(table), "--client", "hos", "--region", "no",
        "--map", "Who=name", "--map", "Mail=email_work", "--map", "Role=title",
    )  # fmt: skip
    assert "2 new, 0 same, 0 possible" in out.splitlines()[0]
    people = _people(data_dir)
    assert people["Ingrid Dahl"]["phones"] == ["+47 90 01 13 33"]
    ws = open_workspace(workspace_path(data_dir))
    try:
        (role,) = ws.list(kind="position", where={"contact_id": people["Ingrid Dahl"]["id"]})
    finally:
        ws.close()
    assert (role["title"], role["work_email"]) == ("Buyer", "ingrid@hos.no")


def test_people_exported_as_vcards(data_dir, tmp_path):
    cards = tmp_path / "people.vcf"
    cards.write_text(VCARDS, encoding="utf-8")
    ok(data_dir, "import-contacts", str(cards))
    out = tmp_path / "out.vcf"
    assert ok(
        data_dir, "export-contacts", "--client", "Halvorsen Offshore", "--out", str(out), "--vcard3"
    ) == (f"exported 1 person to {out}\n")
    text = out.read_text(encoding="utf-8")
    assert "VERSION:3.0" in text and "FN:Kari Nordmann" in text and "Per Lunde" not in text
    site = tmp_path / "config.toml"
    site.write_text('[locked]\n"exports.allowed" = false\n', encoding="utf-8")
    refused = run(
        data_dir,
        "export-contacts",
        "--out",
        str(tmp_path / "no.vcf"),
        env=_env(COMPANION_SITE_CONFIG=str(site)),
    )
    assert refused.returncode == 1 and "Exports are turned off" in refused.stderr
    assert not (tmp_path / "no.vcf").exists()


def test_two_records_merged_from_the_command_line(data_dir, tmp_path):
    ws = open_workspace(workspace_path(data_dir))
    try:
        keep = ws.create(kind="contact", values={"name": "Kari Nordmann"}).created_id
        other = ws.create(
            kind="contact", values={"name": "Kari Nordman", "phones": ["+47 900 11 222"]}
        ).created_id
        twin = ws.create(kind="client", values={"name": "Halvorsen Offshore AS"}).created_id
    finally:
        ws.close()
    out = ok(data_dir, "merge", "contact", keep, "kari nordman")
    assert out.startswith(f"merged Kari Nordman ({other}) into Kari Nordmann ({keep}): ")
    assert _people(data_dir)["Kari Nordmann"]["phones"] == ["+47 900 11 222"]
    assert ok(data_dir, "merge", "client", "HOS", twin).startswith("merged Halvorsen Offshore AS")

    assert_bad_input(run(data_dir, "merge", "contact", keep, other), "no contact", other)
    assert_bad_input(run(data_dir, "merge", "contact", keep, keep), "themselves")
    cards = tmp_path / "people.vcf"
    cards.write_text(VCARDS, encoding="utf-8")
    assert_bad_input(
        run(data_dir, "import-contacts", str(cards), "--map", "FN=name"), "--map is for CSV files"
    )
    assert_bad_input(run(data_dir, "import-contacts", str(cards), "--region", "XX"), "'XX' is not a region")
    assert_bad_input(run(data_dir, "import-contacts", str(tmp_path / "none.vcf")), "none.vcf")


def test_a_problem_names_its_record_and_the_rest_still_go_in(data_dir, tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("Name,E-mail Address,Company\nKari Nordmann,kari@x.no,\nOla Hansen,ola@x.no,Hos,x,y\n")
    out = ok(data_dir, "import-contacts", str(ragged))
    (problem,) = [line for line in out.splitlines() if line.startswith("problem")]
    assert problem.startswith("problem   line 3 (Ola Hansen): ") and "5 cells" in problem
    assert out.splitlines()[-1] == "wrote: added 1 person"
