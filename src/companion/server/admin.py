"""Administration: teams, accounts, membership and device tokens (a token per device, shown once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from companion.model.errors import NotFoundError, ValidationError
from companion.server.schema import account, member, team, team_counter, token


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now() -> str:
    return _stamp(dt.datetime.now(dt.UTC))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _id_by_name(conn: sa.Connection, table: sa.Table, name: str, label: str) -> str:
    found = conn.execute(sa.select(table.c.id).where(table.c.name == name)).scalar()
    if found is None:
        known = ", ".join(sorted(conn.execute(sa.select(table.c.name)).scalars())) or "none yet"
        raise NotFoundError(f"There is no {label} called '{name}'. {label.capitalize()}s: {known}.")
    return str(found)


def add_team(conn: sa.Connection, name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("A team needs a name.")
    if conn.execute(sa.select(team.c.id).where(team.c.name == name)).scalar() is not None:
        raise ValidationError(f"There is a team called '{name}' already.")
    team_id = str(uuid.uuid4())
    conn.execute(sa.insert(team).values(id=team_id, name=name, created_at=now()))
    conn.execute(sa.insert(team_counter).values(team_id=team_id, seq=0))
    return team_id


def list_teams(conn: sa.Connection) -> list[tuple[str, str]]:
    """Every team as (id, name), by name."""
    return [tuple(row) for row in conn.execute(sa.select(team.c.id, team.c.name).order_by(team.c.name))]


def add_account(conn: sa.Connection, name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("A user needs a name.")
    if conn.execute(sa.select(account.c.id).where(account.c.name == name)).scalar() is not None:
        raise ValidationError(f"There is a user called '{name}' already.")
    account_id = str(uuid.uuid4())
    conn.execute(sa.insert(account).values(id=account_id, name=name, created_at=now()))
    return account_id


def add_member(conn: sa.Connection, *, team_name: str, user_name: str) -> None:
    team_id = _id_by_name(conn, team, team_name, "team")
    account_id = _id_by_name(conn, account, user_name, "user")
    exists = conn.execute(
        sa.select(member.c.team_id).where(member.c.team_id == team_id, member.c.account_id == account_id)
    ).first()
    if exists is None:
        conn.execute(sa.insert(member).values(team_id=team_id, account_id=account_id, added_at=now()))


def remove_member(conn: sa.Connection, *, team_name: str, user_name: str) -> bool:
    """Takes effect on the user's next sync: every request checks membership anew."""
    team_id = _id_by_name(conn, team, team_name, "team")
    account_id = _id_by_name(conn, account, user_name, "user")
    gone = conn.execute(
        sa.delete(member).where(member.c.team_id == team_id, member.c.account_id == account_id)
    )
    return gone.rowcount > 0


def issue_token(
    conn: sa.Connection, *, user_name: str, device: str, expires_in_days: int | None = None
) -> tuple[str, str]:
    """(token id, secret): the secret is returned this once and only its hash is kept. A token with
    `expires_in_days` is refused from then on."""
    account_id = _id_by_name(conn, account, user_name, "user")
    if expires_in_days is not None and expires_in_days < 1:
        raise ValidationError("A token lasts at least one day: give --expires-in 1 or more.")
    token_id = str(uuid.uuid4())
    secret = f"cmp_{secrets.token_urlsafe(32)}"
    expires = (
        _stamp(dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)) if expires_in_days else None
    )
    conn.execute(
        sa.insert(token).values(
            id=token_id,
            account_id=account_id,
            device_name=device.strip() or "device",
            secret_hash=hash_secret(secret),
            created_at=now(),
            expires_at=expires,
        )
    )
    return token_id, secret


def revoke_token(conn: sa.Connection, token_id: str) -> None:
    done = conn.execute(
        sa.update(token).where(token.c.id == token_id, token.c.revoked_at.is_(None)).values(revoked_at=now())
    )
    if done.rowcount == 0:
        raise NotFoundError(f"There is no active token with the id {token_id}.")


@dataclass(frozen=True)
class Holder:
    """Whose a valid device token is, and when it was last noted as used."""

    account_id: str
    token_id: str
    last_used_at: str | None

    def use_is_news(self, now: str) -> bool:
        """Whether to note this use: the first, or the first in an hour (a write per request would
        queue every request behind the database's write lock)."""
        return self.last_used_at is None or self.last_used_at[:13] != now[:13]


def holder_of(conn: sa.Connection, secret: str) -> Holder | None:
    """The account a device token belongs to, or None for an unknown, revoked or expired token."""
    found = conn.execute(
        sa.select(token.c.account_id, token.c.id, token.c.last_used_at, token.c.expires_at).where(
            token.c.secret_hash == hash_secret(secret), token.c.revoked_at.is_(None)
        )
    ).first()
    if found is None or (found.expires_at is not None and found.expires_at <= now()):
        return None
    return Holder(found.account_id, found.id, found.last_used_at)


def account_for(conn: sa.Connection, secret: str) -> str | None:
    """The account a device token belongs to, or None for an unknown, revoked or expired token."""
    holder = holder_of(conn, secret)
    return holder.account_id if holder else None


def note_use(conn: sa.Connection, token_id: str) -> None:
    conn.execute(sa.update(token).where(token.c.id == token_id).values(last_used_at=now()))


def list_tokens(conn: sa.Connection) -> list[dict]:
    """Every token: id, user, device, issued, last used, expires, revoked; by user, then newest first."""
    rows = conn.execute(
        sa.select(
            token.c.id, account.c.name, token.c.device_name, token.c.created_at, token.c.last_used_at,
            token.c.expires_at, token.c.revoked_at,
        )
        .join(account, account.c.id == token.c.account_id)
        .order_by(account.c.name, token.c.created_at.desc())
    )  # fmt: skip
    return [
        {
            "id": r.id, "user": r.name, "device": r.device_name, "issued": r.created_at,
            "last_used": r.last_used_at, "expires": r.expires_at, "revoked": r.revoked_at,
        }
        for r in rows
    ]  # fmt: skip


def teams_of(conn: sa.Connection, account_id: str) -> dict[str, str]:
    rows = conn.execute(
        sa.select(team.c.id, team.c.name)
        .join(member, member.c.team_id == team.c.id)
        .where(member.c.account_id == account_id)
    )
    return {str(r.id): str(r.name) for r in rows}
