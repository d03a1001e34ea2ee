"""Pulled pages copy the log into the file less often; every other write keeps SQLite's default."""

from __future__ import annotations

from companion.store.database import CHECKPOINT_PAGES, PULL_CHECKPOINT_PAGES


def _every(conn) -> int:
    return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()


def test_a_pulled_page_checkpoints_every_10000_pages_and_other_writes_every_1000(workspace):
    with workspace.db.writing() as conn:
        assert _every(conn) == CHECKPOINT_PAGES == 1000
    with workspace.db.writing(check_references=False) as conn:  # as apply_pulled writes
        assert _every(conn) == PULL_CHECKPOINT_PAGES == 10_000
    with workspace.db.writing() as conn:  # the same pooled connection, set back
        assert _every(conn) == CHECKPOINT_PAGES
