"""The server's tables: teams, people and device tokens; every team's records with per-field sequence
numbers; the history of overwritten values; conflicts; and each device's pushes, for idempotency."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

server_meta = sa.Table(
    "server_meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

team = sa.Table(
    "team",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False, unique=True),
    sa.Column("created_at", sa.Text(), nullable=False),
)

# "user" is a reserved word in PostgreSQL.
account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False, unique=True),
    sa.Column("created_at", sa.Text(), nullable=False),
)

member = sa.Table(
    "member",
    metadata,
    sa.Column("team_id", sa.String(36), sa.ForeignKey("team.id"), primary_key=True),
    sa.Column("account_id", sa.String(36), sa.ForeignKey("account.id"), primary_key=True),
    sa.Column("added_at", sa.Text(), nullable=False),
)

token = sa.Table(
    "token",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("account_id", sa.String(36), sa.ForeignKey("account.id"), nullable=False, index=True),
    sa.Column("device_name", sa.Text(), nullable=False),
    # sha256 of the secret: the secret itself is shown once and never stored.
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.Text(), nullable=False),
    sa.Column("revoked_at", sa.Text(), nullable=True),
    # Refused from this time on (None: until revoked), and when a request last came with it (to the hour).
    sa.Column("expires_at", sa.Text(), nullable=True),
    sa.Column("last_used_at", sa.Text(), nullable=True),
)

# One row per push (and resolution): a random mark for the team's history up to `seq`. A laptop keeps the
# mark of where it has read to; a server restored from a backup has no such mark, and the laptop learns
# that the server forgot what it had acknowledged (sync/client.py re-sends what the server lacks).
team_mark = sa.Table(
    "team_mark",
    metadata,
    sa.Column("team_id", sa.String(36), sa.ForeignKey("team.id"), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("mark", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("team_id", "seq"),
)

# One row per team: the counter that orders everything written to the team (locked while pushing).
team_counter = sa.Table(
    "team_counter",
    metadata,
    sa.Column("team_id", sa.String(36), sa.ForeignKey("team.id"), primary_key=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
)

# A record belongs to its team: its id is unique within the team only, so an id says nothing across teams
# (a bundle imported into another team's laptop makes that team's own records).
record = sa.Table(
    "record",
    metadata,
    sa.Column("id", sa.String(64), nullable=False),
    sa.Column("team_id", sa.String(36), sa.ForeignKey("team.id"), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("fields", sa.JSON(), nullable=False),
    sa.Column("field_seqs", sa.JSON(), nullable=False),
    sa.Column("field_hlcs", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
    sa.Column("updated_at", sa.Text(), nullable=False),
    sa.Column("deleted_at", sa.Text(), nullable=True),
    sa.Column("deleted_seq", sa.BigInteger(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint("team_id", "id"),
)
sa.Index("ix_record_team_seq", record.c.team_id, record.c.seq)

history = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("team_id", sa.String(36), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=False),
    sa.Column("field", sa.Text(), nullable=False),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("device_id", sa.Text(), nullable=True),
)
sa.Index(
    "ix_history_team_record_field_seq", history.c.team_id, history.c.record_id, history.c.field, history.c.seq
)

conflict = sa.Table(
    "conflict",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("team_id", sa.String(36), sa.ForeignKey("team.id"), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("field", sa.Text(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("base", sa.JSON(), nullable=True),
    sa.Column("kept", sa.JSON(), nullable=True),
    sa.Column("other", sa.JSON(), nullable=True),
    sa.Column("other_device", sa.Text(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("resolved_at", sa.Text(), nullable=True),
)
sa.Index("ix_conflict_team_seq", conflict.c.team_id, conflict.c.seq)

# The last push sequence each device had applied, and what each push returned (a replay gets it again).
device = sa.Table(
    "device",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.String(36), sa.ForeignKey("account.id"), nullable=False),
    sa.Column("last_seq", sa.BigInteger(), nullable=False),
)

# One row per push of a device, keyed by its first mutation's seq; `result` holds {"results": [...]}
# (rows written before that hold one mutation's result each). Replays are answered from it.
mutation = sa.Table(
    "mutation",
    metadata,
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger(), primary_key=True),
    sa.Column("result", sa.JSON(), nullable=False),
)
