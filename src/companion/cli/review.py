"""`companion review CLIENT`: the pack of a client's review (its latest, or one asked for) as Markdown or PDF;
internal or for the client."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "review", help="a client's review pack for the meeting: Markdown or PDF; internal or for the client"
    )
    p.add_argument("client", metavar="CLIENT", help="the client's name, an alias or its id")
    p.add_argument("--review", metavar="REVIEW_ID", help="this review of the client (default: the latest)")
    p.add_argument(
        "--for-client",
        action="store_true",
        help="the version to share: no internal assessment, no figure's sources or people's own scores",
    )
    p.add_argument("--pdf", metavar="FILE.pdf", help="write the pack as a PDF, its charts in it")
    p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    p.set_defaults(handler=_cmd_review)


def _cmd_review(args) -> int:
    from companion.core.naming import find_client
    from companion.core.review_document import build_review_document
    from companion.model.errors import NotFoundError

    ws = workspace(args)
    try:
        client = find_client(ws, args.client)
        document = build_review_document(
            ws, client_id=client.id, review_id=args.review, for_client=args.for_client
        )
    finally:
        ws.close()
    if not args.pdf:
        sys.stdout.write(document.markdown)
        return EXIT_OK
    if not document.has_review:
        raise NotFoundError(f"{document.client_name} has had no review yet: nothing was written.")
    require_exports(args)
    from companion.render.review import write_review_pdf

    write_review_pdf(document, Path(args.pdf), page_size=args.page_size)
    print(f"wrote {args.pdf}")
    return EXIT_OK
