"""A client's induction pack: assembled from the living knowledge, section by section, as Markdown.

Privacy: private notes never appear; team notes only in their team's pack; induction-safe ones always.
Candid assessments (stance, influence, personality, politics, how to handle a difficult person) only
when the pack's author chose so. Site security sits in a section marked confidential.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import Record
from companion.core.checklist import rule_text
from companion.core.markdown import escape, flat
from companion.model.kinds import get_kind
from companion.model.labels import choice_label

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# The picture of the org chart: the Markdown names it, the renderer supplies the image.
ORG_CHART_IMAGE = "org-chart.png"
# Sections a change to which new staff must re-read for.
MATERIAL_SECTIONS = frozenset({"protocols", "sites", "difficult", "guidelines"})
LATEST_INTERACTIONS = 10
SECURITY_FIELDS = (
    "security_id",
    "security_escort",
    "security_ppe",
    "security_devices",
    "security_photography",
)


@dataclass(frozen=True)
class PackSection:
    key: str
    title: str
    markdown: str
    confidential: bool = False

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.markdown}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Pack:
    client_id: str
    client_name: str
    candid: bool
    sections: tuple[PackSection, ...]
    has_org_chart: bool

    @property
    def content_hash(self) -> str:
        """Names this content: equal packs have equal hashes, whoever built them and when."""
        digest = hashlib.sha256(f"candid={self.candid}".encode())
        for section in self.sections:
            digest.update(f"\0{section.key}\0{section.title}\0{section.markdown}".encode())
        return digest.hexdigest()[:16]

    def section(self, key: str) -> PackSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def text(self) -> str:
        """The sections as stored with a version (JSON), so later versions can be compared with it."""
        return json.dumps([[s.key, s.title, s.markdown] for s in self.sections], ensure_ascii=False)


def sections_of_text(text: str) -> list[tuple[str, str, str]]:
    """(key, title, markdown) of a stored version's text."""
    try:
        return [tuple(item) for item in json.loads(text or "[]")]  # type: ignore[misc]
    except ValueError:
        return []


def _label(kind: str, field: str) -> str:
    return get_kind(kind).field(field).label  # type: ignore[union-attr]


def _block(label: str, value: object) -> list[str]:
    text = str(value or "").strip()
    return [f"### {label}", "", text, ""] if text else []


def note_visible(note: Record, *, team_id: str | None) -> bool:
    """Private never; team only in its own team's pack; induction-safe always."""
    if get_kind(note.kind).is_private(note.values):
        return False
    if note["privacy"] == "induction_safe":
        return True
    return note["privacy"] == "team" and note.team_id == team_id


def build_pack(
    workspace: Workspace, *, client_id: str, candid: bool | None = None, team_id: str | None = None
) -> Pack:
    """The pack as the knowledge stands now. `candid` None: as the client's pack author chose."""
    from companion.core.people import people_at

    client = workspace.get(kind="client", id=client_id)
    candid = bool(client["pack_candid"]) if candid is None else candid
    people = [p for p in people_at(workspace, client_id=client_id) if p.current]
    sub_groups = workspace.list(kind="sub_group", where={"client_id": client_id})
    sites = workspace.list(kind="site", where={"client_id": client_id})
    guidelines = workspace.list(kind="guideline", where={"client_id": client_id})
    owners = {str(p.contact["owner_id"]) for p in people if p.contact["owner_id"]}
    if client["owner_id"]:
        owners.add(str(client["owner_id"]))
    colleagues = workspace.get_many(kind="colleague", ids=sorted(owners))
    names = {p.contact.id: p.name for p in people} | {g.id: str(g["name"]) for g in sub_groups}
    names |= {s.id: str(s["name"]) for s in sites} | {c: str(r["name"]) for c, r in colleagues.items()}
    contact_ids = [p.contact.id for p in people]
    notes = workspace.list(kind="note", where={"client_id": client_id})
    notes += workspace.list(kind="note", where={"site_id": [s.id for s in sites]})
    notes += workspace.list(kind="note", where={"contact_id": contact_ids})
    interactions = sorted(
        workspace.list(kind="interaction", where={"client_id": client_id}),
        key=lambda r: (str(r["date"]), r.created_at),
        reverse=True,
    )[:LATEST_INTERACTIONS]
    mentioned = {str(c) for i in interactions for c in i["contact_ids"] or () if str(c) not in names}
    for contact_id, contact in workspace.get_many(kind="contact", ids=sorted(mentioned)).items():
        names[contact_id] = str(contact["name"])
    has_chart = any(p.position["reports_to_id"] for p in people)

    sections = [
        _overview(client, candid, names),
        _people(client, people, names, candid, has_chart),
        _culture(client, sub_groups, people),
        PackSection("protocols", "Protocols", str(client["protocols"] or "").strip() or "None recorded yet."),
        _sites(sites),
        _difficult(people, candid),
        _guidelines(guidelines, names),
        PackSection(
            "success",
            "Critical success factors",
            str(client["success_factors"] or "").strip() or "None recorded yet.",
        ),
        _notes(notes, names, team_id),
        _activity(interactions, names),
    ]
    return Pack(client.id, str(client["name"]), candid, tuple(sections), has_chart)


def _overview(client: Record, candid: bool, names: dict[str, str]) -> PackSection:
    lines: list[str] = []
    facts = [choice_label(str(client["status"])) if client["status"] else "", str(client["industry"] or "")]
    if client["owner_id"]:
        facts.append(f"our account owner: {names.get(str(client['owner_id']), '')}")
    if any(facts):
        lines += [escape(" · ".join(f for f in facts if f)), ""]
    fields = ["summary", "history", "mission", "vision", "values", "objectives", "strategy", "buying_process"]
    if candid:
        fields.append("politics")
    for name in fields:
        lines += _block(_label("client", name), client[name])
    return PackSection(
        "overview", f"About {client['name']}", "\n".join(lines).strip() or "Nothing written yet."
    )


def _people(client: Record, people, names: dict[str, str], candid: bool, has_chart: bool) -> PackSection:
    lines: list[str] = []
    if has_chart:
        lines += [f"![Org chart of {escape(str(client['name']))}]({ORG_CHART_IMAGE})", ""]
    if not people:
        lines.append("Nobody recorded yet.")
    for person in people:
        position, contact = person.position, person.contact
        role = [str(position["title"] or ""), str(position["department"] or "")]
        if position["sub_group_id"]:
            role.append(names.get(str(position["sub_group_id"]), ""))
        role = list(dict.fromkeys(r for r in role if r))  # a department named as its sub-group once
        lines.append(f"- **{escape(person.name)}**" + (f" — {escape(' · '.join(role))}" if role else ""))
        details = []
        if position["buying_role"]:
            details.append(f"Buying role: {choice_label(str(position['buying_role'])).lower()}")
        if contact["owner_id"]:
            details.append(f"Our relationship owner: {escape(names.get(str(contact['owner_id']), ''))}")
        contacts = [str(position["work_email"] or ""), str(position["work_phone"] or "")]
        if any(contacts):
            details.append(f"Contact: {escape(', '.join(c for c in contacts if c))}")
        if position["reports_to_id"]:
            boss = next((p.name for p in people if p.position.id == position["reports_to_id"]), "")
            if boss:
                details.append(f"Reports to {escape(boss)}")
        if candid:
            if position["stance"]:
                details.append(f"Stance toward us: {choice_label(str(position['stance'])).lower()}")
            if position["influence"]:
                details.append(f"Influence: {position['influence']}/5")
            if contact["personality"]:
                details.append(f"Personality: {flat(str(contact['personality']))}")
        lines += [f"    - {d}" for d in details]
    return PackSection("people", "Who's who", "\n".join(lines))


def _culture(client: Record, sub_groups: list[Record], people) -> PackSection:
    lines = _block("Culture and psyche", client["culture"])
    for group in sub_groups:
        if group["culture"] or group["description"]:
            lines += _block(
                escape(str(group["name"])),
                "\n\n".join(str(v) for v in (group["description"], group["culture"]) if v),
            )
    models = [p for p in people if p.position["role_model"]]
    if models:
        lines += ["### Culture role models", "", "Watch how they work: they show what is valued here.", ""]
        lines += [f"- **{escape(p.name)}**, {escape(str(p.position['title'] or ''))}" for p in models]
    return PackSection("culture", "Culture", "\n".join(lines).strip() or "Nothing written yet.")


def _sites(sites: list[Record]) -> PackSection:
    lines: list[str] = []
    for site in sites:
        lines += [f"### {escape(str(site['name']))}", ""]
        for name in ("address", "opening_hours", "arrival", "dress_code", *SECURITY_FIELDS):
            if site[name]:
                lines.append(f"- **{_label('site', name)}:** {flat(str(site[name]))}")
        verified = site["last_verified"]
        lines += [f"- *Last verified: {verified or 'never'}*", ""]
    return PackSection(
        "sites",
        "Dress code and security",
        "\n".join(lines).strip() or "No sites recorded yet.",
        confidential=True,
    )


def _difficult(people, candid: bool) -> PackSection:
    difficult = [p for p in people if p.contact["difficult"]]
    if not difficult:
        return PackSection("difficult", "Difficult people", "Nobody is marked as difficult.")
    lines = []
    for person in difficult:
        if candid and person.contact["difficult_handling"]:
            lines.append(f"- **{escape(person.name)}**: {flat(str(person.contact['difficult_handling']))}")
        else:
            lines.append(
                f"- **{escape(person.name)}**: ask the relationship owner how best to work with them."
            )
    return PackSection("difficult", "Difficult people", "\n".join(lines))


def _guidelines(guidelines: list[Record], names: dict[str, str]) -> PackSection:
    guideline = get_kind("guideline")
    scopes = dict(
        zip(guideline.field("scope").choices, ("Everyone", "Sub-groups", "Sites", "People"), strict=True)
    )
    lines: list[str] = []
    for scope, heading in scopes.items():
        rules = sorted(
            (g for g in guidelines if g["scope"] == scope),
            key=lambda g: (g["severity"] != "must", g["polarity"] != "dont", str(g["text"])),
        )
        if scope == "contact":
            rules = [g for g in rules if str(g["contact_id"]) in names]  # people who still work here
        if not rules:
            continue
        lines += [f"### {heading}", ""]
        for rule in rules:
            target = guideline.scope_target(rule.values)
            about = f" *({escape(names.get(str(rule[target]), ''))})*" if target else ""
            must = "**MUST** " if rule["severity"] == "must" else ""
            category = f" — {choice_label(str(rule['category'])).lower()}" if rule["category"] else ""
            lines.append(f"- {must}{escape(rule_text(rule))}{about}{category}")
        lines.append("")
    return PackSection("guidelines", "Do's and don'ts", "\n".join(lines).strip() or "None recorded yet.")


def _notes(notes: list[Record], names: dict[str, str], team_id: str | None) -> PackSection:
    seen, lines = set(), []
    for note in sorted(notes, key=lambda n: n.updated_at, reverse=True):
        if note.id in seen or not note_visible(note, team_id=team_id):
            continue
        seen.add(note.id)
        about = names.get(str(note["site_id"] or note["contact_id"] or ""), "")
        title = str(note["title"] or "").strip() or "Note"
        heading = f"### {escape(title)}" + (f" ({escape(about)})" if about else "")
        lines += [heading, "", str(note["body"]).strip(), ""]
    return PackSection("notes", "Notes", "\n".join(lines).strip() or "No notes to share.")


def _activity(interactions: list[Record], names: dict[str, str]) -> PackSection:
    lines = []
    for interaction in interactions:
        people = ", ".join(
            names.get(str(c), "") for c in interaction["contact_ids"] or () if names.get(str(c))
        )
        channel = choice_label(str(interaction["channel"])).lower()
        head = f"- **{interaction['date']}**, {channel}" + (f" with {escape(people)}" if people else "")
        summary = flat(str(interaction["summary"])) if interaction["summary"] else ""
        lines.append(head + (f": {summary}" if summary else ""))
    return PackSection("activity", "Latest interactions", "\n".join(lines) or "Nothing logged yet.")


def pack_markdown(pack: Pack, *, version: int | None = None) -> str:
    """The whole pack as one Markdown document (the reader shows it; HTML and PDF are made from it)."""
    out = [f"# Induction pack: {escape(pack.client_name)}", ""]
    stamp = f"Version {version} · " if version else ""
    out += [
        f"*{stamp}content {pack.content_hash}" + (" · with candid assessments" if pack.candid else "") + "*",
        "",
    ]
    for section in pack.sections:
        out += [f"## {escape(section.title)}", ""]
        if section.confidential:
            out += [f"**CONFIDENTIAL — {escape(pack.client_name)}: do not share outside the team.**", ""]
        out += [section.markdown, ""]
    return "\n".join(out)
