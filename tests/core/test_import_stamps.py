"""Timestamps in an imported bundle: kept as written when already stored form, read and refused otherwise."""

from __future__ import annotations

import uuid

import pytest

from companion.model.errors import BundleError


def _client(**stamps):
    return {"id": str(uuid.uuid4()), "name": "Aurora Retail", **stamps}


def test_a_stamp_in_stored_form_is_kept_as_written(workspace):
    record = _client(created_at="2025-03-01T08:00:00.123456Z", updated_at="2026-01-31T09:00:00.000000Z")
    workspace.import_records(records={"client": [record]})
    row = workspace.get(kind="client", id=record["id"])
    assert (row.created_at, row.updated_at) == (record["created_at"], record["updated_at"])


def test_other_spellings_are_read_and_stored_in_utc(workspace):
    record = _client(created_at="2026-01-31T10:00:00+01:00", updated_at="2026-01-31T09:00:00")
    workspace.import_records(records={"client": [record]})
    row = workspace.get(kind="client", id=record["id"])
    assert row.created_at == row.updated_at == "2026-01-31T09:00:00.000000Z"


@pytest.mark.parametrize(
    "stamp", ["2026-02-31T09:00:00.000000Z", "2026-01-31T25:00:00.000000Z", "2026-13-01T09:00:00.000000Z"]
)
def test_a_moment_that_does_not_exist_is_refused_naming_the_field(workspace, stamp):
    record = _client(created_at=stamp)
    with pytest.raises(BundleError, match=f"'created_at' value '{stamp}' is not a timestamp"):
        workspace.import_records(records={"client": [record]})
    assert workspace.list(kind="client") == []
