"""`companion plan CLIENT`: a client's account plan as Markdown, PDF or HTML; internal or for the client."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "plan", help="a client's account plan: Markdown, PDF, HTML; internal or for the client"
    )
    p.add_argument("client", metavar="CLIENT", help="the client's name, an alias or its id")
    p.add_argument("--plan", metavar="PLAN_ID", help="this plan of the client (default: the active one)")
    p.add_argument(
        "--for-client",
        action="store_true",
        help="the version to share: no risks, candid SWOT items, competitors or our strategy",
    )
    p.add_argument("--pdf", metavar="FILE.pdf", help="write the plan as a PDF")
    p.add_argument("--html", metavar="FILE.html", help="write the plan as one self-contained HTML file")
    p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    p.set_defaults(handler=_cmd_plan)


def _cmd_plan(args) -> int:
    from companion.core.naming import find_client
    from companion.core.plan_document import build_plan_document
    from companion.model.errors import NotFoundError

    ws = workspace(args)
    try:
        client = find_client(ws, args.client)
        document = build_plan_document(ws, client_id=client.id, plan_id=args.plan, for_client=args.for_client)
    finally:
        ws.close()
    if not (args.pdf or args.html):
        sys.stdout.write(document.markdown)
        return EXIT_OK
    if not document.has_plan:
        raise NotFoundError(f"{document.client_name} has no account plan yet: nothing was written.")
    require_exports(args)
    from companion.model.files import check_folder
    from companion.render.plan import write_plan_html, write_plan_pdf

    for path in (args.html, args.pdf):
        if path:
            check_folder(Path(path))  # both before either is written
    if args.html:
        write_plan_html(document, Path(args.html))
        print(f"wrote {args.html}")
    if args.pdf:
        write_plan_pdf(document, Path(args.pdf), page_size=args.page_size)
        print(f"wrote {args.pdf}")
    return EXIT_OK
