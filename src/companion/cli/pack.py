"""`companion pack CLIENT_ID`: a client's induction pack (Markdown, PDF, HTML), sign-offs, who is cleared."""

from __future__ import annotations

import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, require_exports, workspace


def add_parsers(sub) -> None:
    p = sub.add_parser("pack", help="a client's induction pack: Markdown, PDF, HTML, sign-offs")
    p.add_argument("client", metavar="CLIENT_ID")
    p.add_argument("--pdf", metavar="FILE.pdf", help="write the pack as a PDF")
    p.add_argument("--html", metavar="FILE.html", help="write the pack as one self-contained HTML file")
    p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
    candid = p.add_mutually_exclusive_group()
    candid.add_argument(
        "--candid", dest="candid", action="store_true", default=None, help="include candid assessments"
    )
    candid.add_argument("--no-candid", dest="candid", action="store_false", help="leave them out")
    p.add_argument("--sign-off", metavar="COLLEAGUE_ID", help="record that this colleague read the pack")
    p.add_argument("--status", action="store_true", help="who is cleared, must re-read, or never read it")
    p.set_defaults(handler=_cmd_pack)


def _cmd_pack(args) -> int:
    from companion.core import induction

    ws = workspace(args)
    try:
        if args.sign_off:
            induction.sign_off(ws, client_id=args.client, colleague_id=args.sign_off)
        state = induction.current(ws, client_id=args.client, candid=args.candid)
        version = int(state.version["number"])
        if args.status:
            for reader in induction.clearance(ws, state=state):
                print(f"{reader.status:<8} {reader.name}: {reader.explanation}")
        elif args.pdf or args.html:
            require_exports(args)
            from companion.core.people import people_at
            from companion.ui.people.org_picture import pack_images  # draws with the app's own chart

            people = people_at(ws, client_id=args.client)
            images = pack_images(people, candid=state.pack.candid) if state.pack.has_org_chart else {}
            from companion.model.files import check_folder
            from companion.render.pack import write_pack_html, write_pack_pdf

            for path in (args.html, args.pdf):
                if path:
                    check_folder(Path(path))  # both before either is written
            if args.html:
                write_pack_html(state.pack, Path(args.html), version=version, images=images)
                print(f"wrote {args.html}")
            if args.pdf:
                write_pack_pdf(
                    state.pack, Path(args.pdf), version=version, images=images, page_size=args.page_size
                )
                print(f"wrote {args.pdf}")
        elif args.sign_off:
            print(f"signed off version {version} ({state.pack.content_hash})")
        else:
            from companion.core.pack import pack_markdown

            sys.stdout.write(pack_markdown(state.pack, version=version))
    finally:
        ws.close()
    return EXIT_OK
