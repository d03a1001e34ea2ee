"""`companion demo`: load the demo workspace, or a large synthetic one."""

from __future__ import annotations

from companion.cli.common import EXIT_OK, summarise, whole_number, workspace

# Past this many clients a synthetic workspace is a typo (the benchmarks use 10,000).
MOST_SYNTHETIC = 1_000_000


def add_parsers(sub) -> None:
    p = sub.add_parser("demo", help="load the demo workspace, or a large synthetic one")
    p.add_argument("--synthetic", type=int, metavar="N", help="generate N clients instead")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=_cmd_demo)


def _cmd_demo(args) -> int:
    from companion.core import demo

    whole_number("--synthetic", args.synthetic, least=1, most=MOST_SYNTHETIC)
    ws = workspace(args)
    try:
        if args.synthetic is not None:
            changes = demo.load_synthetic(ws, clients=args.synthetic, seed=args.seed)
        else:
            changes = demo.load_demo(ws)
    finally:
        ws.close()
    print(summarise(changes))
    return EXIT_OK
