"""The meeting brief as Markdown: one text for the screen (QTextBrowser) and the PDF alike."""

from __future__ import annotations

from companion.core.brief import Brief, BriefRule, build_brief
from companion.core.markdown import escape, flat


def _rules(rules: tuple[BriefRule, ...]) -> list[str]:
    lines = []
    for rule in rules:
        about = f" *({escape(rule.about)})*" if rule.about else ""
        mark = "**MUST** " if rule.must else ""
        lines.append(f"- {mark}{escape(rule.text)}{about}")
    return lines


def brief_markdown(brief: Brief) -> str:
    out: list[str] = [f"# {escape(brief.title)}", ""]
    where = f" · {escape(brief.site)}" if brief.site else ""
    out.append(f"**{escape(brief.client)}**{where} · {escape(brief.when)} · {escape(brief.status)}  ")
    if brief.address:
        out.append(f"{flat(brief.address)}  ")
    if brief.ours:
        out.append(f"With us: {escape(', '.join(brief.ours))}  ")
    out.append(f"Preparation: **{brief.percent}%** ticked ({brief.done} of {brief.total})")
    out.append("")
    if brief.warnings:
        out += ["## Warnings", ""] + [f"- {escape(w)}" for w in brief.warnings] + [""]
    if brief.objectives:
        out += ["## Objectives", "", brief.objectives, ""]
    if brief.agenda:
        out += ["## Agenda", "", brief.agenda, ""]
    out += ["## Who's who", ""]
    if not brief.people:
        out += ["No attendees of theirs are listed yet.", ""]
    for person in brief.people:
        role = f" — {escape(person.role)}" if person.role else ""
        notes = f" *({escape(', '.join(person.notes))})*" if person.notes else ""
        out.append(f"- **{escape(person.name)}**{role}{notes}")
        for label, value in (
            ("Cares about", person.cares_about),
            ("Sensitivities", person.sensitivities),
            ("Personality", person.personality),
            ("Preferences", person.preferences),
            ("How to handle them", person.handling),
        ):
            if value:
                out.append(f"    - *{label}:* {flat(value)}")
        for tie in person.ties:  # who sways them, whom they sway
            out.append(f"    - *Relationship:* {flat(tie)}")
        out.append(f"    - *Last contact:* {person.last_contact or 'never'}")
    out.append("")
    if brief.dos or brief.donts:
        out += ["## Do's and don'ts", "", *_rules(brief.donts), *_rules(brief.dos), ""]
    if brief.dress_code or brief.security or brief.arrival:
        out += ["## Dress code and security", ""]
        if brief.dress_code:
            out.append(f"- **Dress code:** {flat(brief.dress_code)}")
        for label, value in brief.security:
            out.append(f"- **{escape(label)}:** {flat(value)}")
        if brief.arrival:
            out.append(f"- **Arrival and parking:** {flat(brief.arrival)}")
        out.append("")
    if brief.follow_ups:
        out += ["## Open follow-ups", ""] + [f"- {escape(f)}" for f in brief.follow_ups] + [""]
    out += ["## Checklist", ""]
    if not brief.open_musts and not brief.open_items:
        out.append("Everything is ticked.")
    for line in brief.open_musts:
        out.append(f"- **MUST** {escape(line)}")
    for line in brief.open_items:
        out.append(f"- {escape(line)}")
    if brief.more_open:
        out.append(f"- …and {brief.more_open} more in the app")
    out.append("")
    return "\n".join(out)


def brief_document(workspace, *, meeting_id: str) -> tuple[str, str]:
    """(title, Markdown) of a meeting's brief, ready for the screen or write_pdf()."""
    brief = build_brief(workspace, meeting_id=meeting_id)
    return brief.title, brief_markdown(brief)
