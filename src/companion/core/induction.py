"""Induction pack versions, what changed between them, sign-offs, and who is cleared to visit a client.

A version is recorded the first time a pack's content is seen (opened, exported or signed). A reader
who signed an older version stays cleared unless a material section changed since.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from companion.core.changes import ChangeSet, Edit, Record
from companion.core.pack import MATERIAL_SECTIONS, Pack, build_pack, sections_of_text
from companion.model.errors import ValidationError

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace


@dataclass(frozen=True)
class PackState:
    """The pack as it reads now and the version that names it."""

    pack: Pack
    version: Record
    changes: ChangeSet  # a version recorded just now, or nothing


def versions(workspace: Workspace, *, client_id: str, candid: bool) -> list[Record]:
    """The client's pack versions of one kind (with or without candid assessments), oldest first."""
    found = workspace.list(kind="pack_version", where={"client_id": client_id, "candid": candid})
    return sorted(found, key=lambda v: int(v["number"]))


def current(workspace: Workspace, *, client_id: str, candid: bool | None = None) -> PackState:
    """Builds the pack and records it as a new version if its content is new."""
    pack = build_pack(workspace, client_id=client_id, candid=candid)
    known = versions(workspace, client_id=client_id, candid=pack.candid)
    latest = known[-1] if known else None
    if latest is not None and latest["content_hash"] == pack.content_hash:
        return PackState(pack, latest, ChangeSet((), ""))
    before = (
        {key: markdown for key, _title, markdown in sections_of_text(str(latest["text"]))} if latest else {}
    )
    material = latest is None or any(
        before.get(section.key) != section.markdown
        for section in pack.sections
        if section.key in MATERIAL_SECTIONS
    )
    values = {
        "client_id": client_id,
        "number": int(latest["number"]) + 1 if latest is not None else 1,
        "content_hash": pack.content_hash,
        "candid": pack.candid,
        "material": material,
        "sections": [f"{s.title}|{s.digest}" for s in pack.sections],
        "text": pack.text(),
    }
    changes = workspace.apply(
        edits=[Edit("create", "pack_version", None, values)], label="Record pack version"
    )
    version = workspace.get(kind="pack_version", id=changes.created_id)  # type: ignore[arg-type]
    return PackState(pack, version, changes)


Status = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class SectionChange:
    key: str
    title: str
    status: Status
    added: tuple[str, ...]  # lines now in the section that were not
    removed: tuple[str, ...]  # lines that were and are not any more
    material: bool


def changes_between(old_text: str, pack: Pack) -> list[SectionChange]:
    """What changed, section by section, from a stored version's text to the pack as it is."""
    before = {key: (title, markdown) for key, title, markdown in sections_of_text(old_text)}
    found = []
    for section in pack.sections:
        old = before.pop(section.key, None)
        if old is None:
            lines = tuple(line for line in section.markdown.splitlines() if line.strip())
            found.append(
                SectionChange(
                    section.key, section.title, "added", lines, (), section.key in MATERIAL_SECTIONS
                )
            )
            continue
        if old[1] == section.markdown:
            continue
        added, removed = [], []
        for line in difflib.ndiff(old[1].splitlines(), section.markdown.splitlines()):
            if line.startswith("+ ") and line[2:].strip():
                added.append(line[2:])
            elif line.startswith("- ") and line[2:].strip():
                removed.append(line[2:])
        found.append(
            SectionChange(
                section.key,
                section.title,
                "changed",
                tuple(added),
                tuple(removed),
                section.key in MATERIAL_SECTIONS,
            )
        )
    for key, (title, markdown) in before.items():
        lines = tuple(line for line in markdown.splitlines() if line.strip())
        found.append(SectionChange(key, title, "removed", (), lines, key in MATERIAL_SECTIONS))
    return found


def changes_since(workspace: Workspace, *, state: PackState, number: int) -> list[SectionChange]:
    """What changed in the pack since version `number` (of the same kind) was read."""
    old = next(
        (
            v
            for v in versions(workspace, client_id=state.pack.client_id, candid=state.pack.candid)
            if v["number"] == number
        ),
        None,
    )
    if old is None:
        return changes_between("", state.pack)
    return changes_between(str(old["text"]), state.pack)


def sign_off(
    workspace: Workspace, *, client_id: str, colleague_id: str, content_hash: str | None = None
) -> ChangeSet:
    """Records that the colleague read the current version; refuses if the pack changed meanwhile."""
    state = current(workspace, client_id=client_id)
    if content_hash is not None and content_hash != state.pack.content_hash:
        raise ValidationError(
            "The pack changed while you were reading it: read what changed, then sign off the new version.",
            kind="pack_signoff",
            field="content_hash",
        )
    values = {
        "client_id": client_id,
        "colleague_id": colleague_id,
        "version": int(state.version["number"]),
        "content_hash": state.pack.content_hash,
        "candid": state.pack.candid,
        "signed_at": dt.datetime.now(dt.UTC).replace(microsecond=0),
    }
    signed = workspace.apply(
        edits=[Edit("create", "pack_signoff", None, values)], label="Sign off induction pack"
    )
    return ChangeSet(state.changes.changes + signed.changes, signed.label)


def version_key(version: Mapping[str, object]) -> tuple[str, bool, int, str]:
    """What names a pack version: its client, its edition (with candid assessments or not), its number
    and its content hash."""
    return (
        str(version["client_id"]),
        bool(version["candid"]),
        int(version["number"]),  # type: ignore[call-overload]
        str(version["content_hash"]),
    )


def signed_version_key(signoff: Mapping[str, object]) -> tuple[str, bool, int, str]:
    """The pack version a sign-off says its colleague read, named as `version_key` names versions."""
    return (
        str(signoff["client_id"]),
        bool(signoff["candid"]),
        int(signoff["version"]),  # type: ignore[call-overload]
        str(signoff["content_hash"]),
    )


def check_signoff(signoff: Mapping[str, object], known: Container[tuple[str, bool, int, str]]) -> None:
    """A sign-off clears its colleague only for a version of the pack that was recorded (`known`: the
    `version_key`s of the client's versions): one naming a content hash no version has is refused."""
    if signed_version_key(signoff) in known:
        return
    edition = "with" if signoff["candid"] else "without"
    raise ValidationError(
        f"Induction sign-off · Content hash (content_hash): version {signoff['version']} of this client's "
        f"pack ({edition} candid assessments) with the content hash {signoff['content_hash']} was never "
        "recorded; a sign-off names a version someone read (companion pack CLIENT --sign-off COLLEAGUE).",
        kind="pack_signoff",
        field="content_hash",
    )


Clearance = Literal["cleared", "reread", "never"]


@dataclass(frozen=True)
class ReaderStatus:
    colleague_id: str
    name: str
    status: Clearance
    read_version: int | None
    signed_at: str | None
    current_version: int

    @property
    def explanation(self) -> str:
        if self.status == "never":
            return "has never signed this pack"
        if self.status == "reread":
            return f"read version {self.read_version}; a material change since: must re-read"
        if self.read_version == self.current_version:
            return f"read the current version {self.read_version}"
        return f"read version {self.read_version}; nothing material changed since"


def last_signoff(workspace: Workspace, *, client_id: str, colleague_id: str, candid: bool) -> Record | None:
    signed = [
        s
        for s in workspace.list(
            kind="pack_signoff", where={"client_id": client_id, "colleague_id": colleague_id}
        )
        if bool(s["candid"]) == candid
    ]
    return max(signed, key=lambda s: (int(s["version"]), str(s["signed_at"])), default=None)


def clearance(workspace: Workspace, *, state: PackState) -> list[ReaderStatus]:
    """Every colleague: cleared, must re-read after a material change, or never read; by name."""
    client_id, candid = state.pack.client_id, state.pack.candid
    history = versions(workspace, client_id=client_id, candid=candid)
    material_at = {int(v["number"]) for v in history if v["material"]}
    now = int(state.version["number"])
    latest: dict[str, Record] = {}
    for signed in workspace.list(kind="pack_signoff", where={"client_id": client_id}):
        if bool(signed["candid"]) != candid:
            continue  # an edition with or without candid notes is a pack of its own
        held = latest.get(str(signed["colleague_id"]))
        if held is None or int(signed["version"]) > int(held["version"]):
            latest[str(signed["colleague_id"])] = signed
    found = []
    for colleague_id, name in workspace.columns(kind="colleague", fields=("id", "name")):
        signed = latest.get(colleague_id)
        if signed is None:
            found.append(ReaderStatus(colleague_id, str(name), "never", None, None, now))
            continue
        read = int(signed["version"])
        stale = any(read < number <= now for number in material_at)
        found.append(
            ReaderStatus(
                colleague_id, str(name), "reread" if stale else "cleared", read, str(signed["signed_at"]), now
            )
        )
    return found


@dataclass(frozen=True)
class ReaderView:
    """What the reader shows: the pack at its version, what changed for this reader, who is cleared."""

    state: PackState
    colleague_id: str | None
    last_signed: Record | None  # this reader's latest sign-off of this edition
    changes: tuple[SectionChange, ...]  # since that sign-off
    readers: tuple[ReaderStatus, ...]
    colleagues: tuple[tuple[str, str], ...]
    people: tuple  # the people holding roles (for the org chart picture)


def reader_view(workspace: Workspace, *, client_id: str, colleague_id: str | None) -> ReaderView:
    from companion.core.people import people_at

    state = current(workspace, client_id=client_id)
    last = None
    if colleague_id:
        last = last_signoff(
            workspace, client_id=client_id, colleague_id=colleague_id, candid=state.pack.candid
        )
    changes: list[SectionChange] = []
    if last is not None and int(last["version"]) != int(state.version["number"]):
        changes = changes_since(workspace, state=state, number=int(last["version"]))
    colleagues = tuple(
        (str(c[0]), str(c[1])) for c in workspace.columns(kind="colleague", fields=("id", "name"))
    )
    return ReaderView(
        state=state,
        colleague_id=colleague_id,
        last_signed=last,
        changes=tuple(changes),
        readers=tuple(clearance(workspace, state=state)),
        colleagues=colleagues,
        people=tuple(p for p in people_at(workspace, client_id=client_id) if p.current),
    )


def changes_markdown(view: ReaderView) -> str:
    """ "What changed since you last read", by section, as Markdown for the reader."""
    from companion.core.markdown import escape

    last = view.last_signed
    if view.colleague_id is None:
        return "Choose who is reading to see what changed since they last signed."
    if last is None:
        return "You have not signed this pack yet: read it all, then sign it."
    if not view.changes:
        return f"Nothing has changed since you signed version {last['version']}."
    out = [f"Since you signed version {last['version']} on {str(last['signed_at'])[:10]}:", ""]
    for change in view.changes:
        weight = " — **material: re-read**" if change.material else ""
        out += [f"### {escape(change.title)} ({change.status}){weight}", ""]
        out += [f"- ➕ {escape(line.strip())}" for line in change.added[:20]]
        out += [f"- ➖ ~~{escape(line.strip())}~~" for line in change.removed[:20]]
        more = len(change.added) + len(change.removed) - 40
        if more > 0:
            out.append(f"- …and {more} more lines")
        out.append("")
    return "\n".join(out)
