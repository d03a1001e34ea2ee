"""Every field of every kind refuses bad values, naming the field, and writes nothing."""

from __future__ import annotations

import pytest

from companion.model.errors import UnknownFieldError, UnknownKindError, ValidationError
from companion.model.kinds import KINDS, Field
from tests.core.helpers import Maker

BAD_VALUES = {
    "text": [123, "two\nlines", "x" * 5000],
    "longtext": [["not", "text"], "bell\x07"],
    "email": ["bob@", "bob at example.com"],
    "url": ["not a url", "ftp://example.com"],
    "phone": ["call me", "12"],
    "int": ["three", 2.5, True],
    "number": ["12.5", True, float("nan"), float("inf"), 1e300],
    "bool": ["yes", 1],
    "date": ["2026-13-45", "next tuesday", 20261201],
    "datetime": ["tomorrow at noon", "2026-02-30T10:00"],
    "enum": ["nope"],
    "ref": ["not-an-id", 42],
    "refs": ["one-id", ["not-an-id"]],
    "strings": ["not a list", [1, 2]],
}


def _cases():
    for kind in KINDS:
        for f in kind.fields:
            for bad in BAD_VALUES[f.type]:
                yield pytest.param(kind.name, f, bad, id=f"{kind.name}.{f.name}={bad!r:.20}")
            if f.min is not None:
                yield pytest.param(kind.name, f, f.min - 1, id=f"{kind.name}.{f.name}=below")
                yield pytest.param(kind.name, f, f.max + 1, id=f"{kind.name}.{f.name}=above")


@pytest.mark.parametrize(("kind", "field", "bad"), list(_cases()))
def test_bad_value_is_refused_naming_the_field(workspace, kind: str, field: Field, bad):
    maker = Maker(workspace)
    values = maker.values(kind)
    before = workspace.count(kind=kind)
    outbox_before = len(workspace.outbox())
    values[field.name] = bad
    with pytest.raises(ValidationError) as caught:
        workspace.create(kind=kind, values=values)
    assert caught.value.field == field.name
    assert field.name in str(caught.value)
    assert workspace.count(kind=kind) == before
    assert len(workspace.outbox()) == outbox_before


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_every_kind_accepts_its_minimal_record(workspace, kind):
    maker = Maker(workspace)
    record_id = workspace.create(kind=kind, values=maker.values(kind)).created_id
    assert workspace.get(kind=kind, id=record_id).id == record_id


@pytest.mark.parametrize(("kind", "field"), [(k.name, f.name) for k in KINDS for f in k.fields if f.required])
def test_required_field_missing_is_refused(workspace, kind, field):
    values = Maker(workspace).values(kind)
    values.pop(field, None)
    with pytest.raises(ValidationError, match="is required") as caught:
        workspace.create(kind=kind, values=values)
    assert caught.value.field == field


def test_unknown_kind_and_field_are_named(workspace):
    with pytest.raises(UnknownKindError, match="'clinet'"):
        workspace.create(kind="clinet", values={"name": "x"})
    with pytest.raises(UnknownFieldError, match="'nmae'"):
        workspace.create(kind="client", values={"nmae": "x"})


def test_values_are_normalised(workspace):
    cid = workspace.create(
        kind="client",
        values={"name": "  Borealis Foods  ", "website": "borealis.example", "tags": ["a", " b "]},
    ).created_id
    client = workspace.get(kind="client", id=cid)
    assert client["name"] == "Borealis Foods"
    assert client["website"] == "https://borealis.example"
    assert client["tags"] == ["a", "b"]


def test_reference_must_exist_and_be_of_the_right_kind(workspace):
    maker = Maker(workspace)
    contact = maker.id("contact")
    with pytest.raises(ValidationError, match="no client has the id") as caught:
        workspace.create(kind="site", values={"client_id": contact, "name": "HQ"})
    assert caught.value.field == "client_id"


def test_same_client_references(workspace):
    maker = Maker(workspace)
    other = workspace.create(kind="client", values={"name": "Other Co"}).created_id
    foreign_site = workspace.create(kind="site", values={"client_id": other, "name": "Elsewhere"}).created_id
    values = maker.values("position") | {"site_id": foreign_site}
    with pytest.raises(ValidationError, match="belongs to another client") as caught:
        workspace.create(kind="position", values=values)
    assert caught.value.field == "site_id"


def test_guideline_scope_needs_its_target(workspace):
    maker = Maker(workspace)
    values = maker.values("guideline") | {"scope": "site"}
    with pytest.raises(ValidationError, match="required when it applies to a site") as caught:
        workspace.create(kind="guideline", values=values)
    assert caught.value.field == "site_id"
    values = maker.values("guideline") | {"site_id": maker.id("site")}  # scope client
    with pytest.raises(ValidationError, match="must be empty"):
        workspace.create(kind="guideline", values=values)
    values = maker.values("guideline") | {"scope": "site", "site_id": maker.id("site")}
    assert workspace.create(kind="guideline", values=values)


def test_note_attaches_to_exactly_one_record(workspace):
    maker = Maker(workspace)
    values = maker.values("note") | {"contact_id": maker.id("contact")}
    with pytest.raises(ValidationError, match="exactly one of"):
        workspace.create(kind="note", values=values)


def test_dates_in_order_and_no_self_reference(workspace):
    maker = Maker(workspace)
    values = maker.values("position") | {"started": "2025-05-01", "ended": "2024-01-01"}
    with pytest.raises(ValidationError, match="before the started") as caught:
        workspace.create(kind="position", values=values)
    assert caught.value.field == "ended"
    pid = workspace.create(kind="position", values=maker.values("position")).created_id
    with pytest.raises(ValidationError, match="itself"):
        workspace.update(kind="position", id=pid, values={"reports_to_id": pid})
    contact = maker.id("contact")
    with pytest.raises(ValidationError, match="must differ"):
        workspace.create(
            kind="relationship", values={"from_contact_id": contact, "to_contact_id": contact, "type": "ally"}
        )
