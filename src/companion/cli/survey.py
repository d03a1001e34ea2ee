"""`companion survey list|results`: the surveys with their NPS, and what one survey's responses say."""

from __future__ import annotations

from companion.cli.common import EXIT_OK, require_exports, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser("survey", help="satisfaction surveys: list them, read a survey's results")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="every survey with its status, responses and NPS (running ones first)")
    v.set_defaults(handler=_cmd_list)
    v = verbs.add_parser(
        "results",
        help="a survey's NPS and CSAT by question, by client, and its responses with their comments",
    )
    v.add_argument("survey", metavar="SURVEY", help="the survey's title (or part of it) or id")
    v.add_argument("--csv", metavar="FILE", help="write the responses as CSV, one a line, to FILE")
    v.set_defaults(handler=_cmd_results)


def _cmd_list(args) -> int:
    from companion.core.surveys import survey_rows

    ws = workspace(args)
    try:
        rows = survey_rows(ws)
    finally:
        ws.close()
    if not rows:
        print("No surveys yet (companion add survey title=… status=draft)")
        return EXIT_OK
    for row in rows:
        survey = row.survey
        dates = " – ".join(str(d) for d in (survey["starts"], survey["ends"]) if d)
        print(
            f"{str(survey['status']).capitalize():<8} {survey['title']}"
            f"{f' ({dates})' if dates else ''}: {row.questions} question{'' if row.questions == 1 else 's'},"
            f" {row.responses} response{'' if row.responses == 1 else 's'}, NPS {_nps(row.nps)}"
        )
    return EXIT_OK


def _nps(value: float | None) -> str:
    if value is None:
        return "-"
    shown = f"{abs(value):.1f}".removesuffix(".0")
    return "0" if value == 0 else f"{'+' if value > 0 else '-'}{shown}"


def _cmd_results(args) -> int:
    from companion.core.naming import find_record
    from companion.core.surveys import TYPE_LABELS, results_csv, survey_results

    ws = workspace(args)
    try:
        survey = find_record(ws, "survey", args.survey)
        results = survey_results(ws, survey_id=survey.id)
    finally:
        ws.close()
    if args.csv:
        from pathlib import Path

        from companion.model.files import write_whole

        require_exports(args)
        text = results_csv(results)
        path = write_whole(Path(args.csv), lambda part: part.write_text(text, encoding="utf-8"))
        print(f"{survey['title']}: {len(results.responses)} responses written to {path}")
        return EXIT_OK
    count = len(results.responses)
    head = [f"{count} response{'' if count == 1 else 's'}"]
    if results.nps is not None:
        head.append(f"NPS {_nps(results.nps)}")
    if results.csat is not None:
        head.append(f"CSAT {results.csat:.1f} of 5")
    if results.detractors:
        head.append(f"{results.detractors} detractor{'' if results.detractors == 1 else 's'}")
    print(f"{survey['title']} ({survey['status']}): {', '.join(head)}")
    if results.questions:
        print("Questions:")
    for q in results.questions:
        kind = TYPE_LABELS.get(q.type, q.type)
        score = (
            f"NPS {_nps(q.score)}"
            if q.type == "nps"
            else f"CSAT {q.score:.1f}"
            if q.score is not None
            else "-"
        )
        said = f"{q.count} answer{'' if q.count == 1 else 's'}" + ("" if q.type == "text" else f", {score}")
        print(f"  {q.number}. {q.text} [{kind}]: {said}")
        for text in q.texts:
            print(f'       "{" ".join(text.split())}"')
    if results.by_client:
        print("By client:")
        for c in results.by_client:
            csat = "-" if c.csat is None else f"{c.csat:.1f}"
            print(
                f"  {c.client_name}: {c.responses} response{'' if c.responses == 1 else 's'}, NPS {_nps(c.nps)}, CSAT {csat}"
            )
    if results.responses:
        print("Responses:")
    for r in results.responses:
        who = f"{r.person}, {r.client_name}" if r.person else r.client_name
        scores = ", ".join(f"Q{n} {score}" for n, _type, score in r.scores)
        mark = " DETRACTOR" if r.detractor else ""
        print(f"  {r.date}  {who} ({r.channel.replace('_', ' ')}){': ' + scores if scores else ''}{mark}")
        if r.comment:
            print(f'      "{" ".join(r.comment.split())}"')
    return EXIT_OK
