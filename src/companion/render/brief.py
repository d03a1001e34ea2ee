"""The meeting brief as Markdown: one text for the screen (QTextBrowser) and the PDF alike."""

from __future__ import annotations

from companion.core.brief import Brief, BriefDeals, BriefPlan, BriefRule, BriefSatisfaction, build_brief
from companion.core.markdown import escape, flat


def _rules(rules: tuple[BriefRule, ...]) -> list[str]:
    lines = []
    for rule in rules:
        about = f" *({escape(rule.about)})*" if rule.about else ""
        mark = "**MUST** " if rule.must else ""
        lines.append(f"- {mark}{escape(rule.text)}{about}")
    return lines


def _plan(plan: BriefPlan) -> list[str]:
    """Where we stand on the plan, a line for each thing: kept short, what is beyond a cap counted."""
    out = ["## Where we stand on the plan", ""]
    if plan.heading:
        line = f"**{escape(plan.heading)}:** {escape(plan.standing or '')}."
        out += [line + (f" *{escape(plan.strategy)}*" if plan.strategy else ""), ""]
    for objective in plan.objectives:
        line = f"- *{escape(objective.status)}:* {escape(objective.title)}"
        if objective.measure:
            more = f" (+{objective.more_measures})" if objective.more_measures else ""
            line += f" · {escape(objective.measure)}{more}"
        out.append(line)
    out += [f"- **High risk, {escape(score)}:** {escape(title)}" for score, title in plan.risks]
    out += _more(plan.more_risks, "high risks")
    out += [f"- **Contract:** {escape(line)}" for line in plan.contracts]
    out += _more(plan.more_contracts, "contracts near notice")
    out += [f"- **MUST** {escape(tie)}" for tie in plan.ties]
    out += _more(plan.more_ties, "ties to competitors")
    return [*out, ""]


def _deals(deals: BriefDeals, *, heading: bool) -> list[str]:
    """The open deals, a list item each (its next step and gaps in it), then the won and lost of the
    year: a few lines, under the plan's heading when there is one, so the brief stays within two pages."""
    out = ["## Deals", ""] if heading else []
    for deal in deals.open:
        facts = [deal.standing, f"{deal.qualified} qualified"]
        if deal.closes:
            facts.append(f"closes {deal.closes}")
        line = f"- **Deal:** {escape(deal.title)} ({escape(', '.join(facts))})"
        if deal.gaps:
            line += f" · *gaps:* {escape('; '.join(deal.gaps))}"
        if deal.next_step:
            line += f" · *next:* {escape(deal.next_step)}"
        out.append(line)
    out += _more(deals.more_open, "open deals")
    for outcome, title, day, reason in deals.closed:
        why = f": {escape(reason)}" if reason else ""
        out.append(f"- **{escape(outcome)}:** {escape(title)} *({escape(day)})*{why}")
    out += _more(deals.more_closed, "won or lost this year")
    return [*out, ""]


def _satisfaction(sat: BriefSatisfaction, *, heading: bool) -> list[str]:
    """How satisfied they are in one list item (NPS, CSAT, the last review and its open agreed actions),
    under the plan's heading when there is one, so the brief stays within two pages."""
    out = ["## Satisfaction", ""] if heading else []
    said = [f"{name} {escape(words)}" for name, words in (("NPS", sat.nps), ("CSAT", sat.csat)) if words]
    if sat.review:
        review = f"last review {escape(sat.review)}"
        if sat.agreed:
            more = f"; …and {sat.more_agreed} more" if sat.more_agreed else ""
            review += f"; *agreed, open:* {escape('; '.join(sat.agreed))}{more}"
        elif sat.more_agreed:
            review += f"; {sat.more_agreed} agreed action{'' if sat.more_agreed == 1 else 's'} open"
        said.append(review)
    return [*out, f"- **Satisfaction:** {' · '.join(said)}", ""]


def _more(count: int, what: str) -> list[str]:
    return [f"- …and {count} more {what} in the app"] if count else []


def brief_markdown(brief: Brief) -> str:
    out: list[str] = [f"# {escape(brief.title)}", ""]
    where = f" · {escape(brief.site)}" if brief.site else ""
    # A planned meeting is the usual case: its status is said only once it is something else.
    status = f" · {escape(brief.status)}" if brief.status != "Planned" else ""
    out.append(f"**{escape(brief.client)}**{where} · {escape(brief.when)}{status}  ")
    if brief.address:
        out.append(f"{flat(brief.address)}  ")
    ours = f"With us: {escape(', '.join(brief.ours))} · " if brief.ours else ""
    out.append(f"{ours}Preparation: **{brief.percent}%** ticked ({brief.done} of {brief.total})")
    out.append("")
    if brief.acknowledge:
        # The client's own words, in a paragraph of the heading block: who they are, like their name.
        said = " · ".join(f"*{label}:* {escape(text)}" for label, text in brief.acknowledge)
        out += [f"**Their mission, vision and values, to acknowledge:** {said}", ""]
    if brief.warnings:
        out += ["## Warnings", ""] + [f"- {escape(w)}" for w in brief.warnings] + [""]
    if brief.objectives:
        out += ["## Objectives", "", brief.objectives, ""]
    if brief.agenda:
        out += ["## Agenda", "", brief.agenda, ""]
    if brief.plan:
        out += _plan(brief.plan)
    if brief.deals:
        if brief.plan:
            out.pop()  # the deals follow the plan's lines, under its heading
        out += _deals(brief.deals, heading=not brief.plan)
    if brief.satisfaction:
        if brief.plan or brief.deals:
            out.pop()  # under the plan's (or the deals') heading, as the deals follow the plan
        out += _satisfaction(brief.satisfaction, heading=not (brief.plan or brief.deals))
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
            ("How to handle them", person.handling),
        ):
            if value:
                out.append(f"    - *{label}:* {flat(value)}")
        for tie in person.ties:  # who sways them, whom they sway
            out.append(f"    - *Relationship:* {flat(tie)}")
        # How and when to reach them, and when we last did: one line, to keep the brief to two pages.
        last = f"last contact {person.last_contact or 'never'}"
        reach = [flat(person.preferences), last] if person.preferences else [last]
        if person.score:
            reach.append(f"latest score {flat(person.score)}")
        out.append(f"    - *Contact:* {'; '.join(reach)}")
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
    if brief.more_musts:
        others = f" and {brief.more_open} other items" if brief.more_open else ""
        out.append(
            f"- …and {brief.more_musts} more MUST{'' if brief.more_musts == 1 else 's'}{others} in the app"
        )
    elif brief.more_open:
        out.append(f"- …and {brief.more_open} more in the app")
    out.append("")
    return "\n".join(out)


def brief_document(workspace, *, meeting_id: str) -> tuple[str, str]:
    """(title, Markdown) of a meeting's brief, ready for the screen or write_pdf()."""
    brief = build_brief(workspace, meeting_id=meeting_id)
    return brief.title, brief_markdown(brief)
