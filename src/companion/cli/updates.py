"""`companion updates`: whether the team's release listing has a newer signed release, and where."""

from __future__ import annotations

from companion.cli.common import EXIT_OK


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "updates", help="is a newer signed release listed by the team? (settings: updates.feed_url)"
    )
    p.add_argument("--feed", metavar="URL_OR_FOLDER", help="ask this listing instead of the settings' one")
    p.set_defaults(handler=_cmd_updates)


def _cmd_updates(args) -> int:
    """Asked for explicitly, so it runs even when automatic checks are off, unless an admin locked them off."""
    from companion.app import settings, updates
    from companion.app.config import data_dir

    loaded = settings.load(data_dir(args.data_dir))
    if args.feed:
        if reason := loaded.lock_reason("updates.feed_url"):
            raise settings.LockedSetting(
                f"This laptop asks only {loaded.value('updates.feed_url')}. {reason}"
            )
        loaded.user["updates.feed_url"] = args.feed  # this run only: nothing is saved
    result = updates.check(loaded)
    print(result.summary())
    if result.newer:
        for name in result.release.installers() or sorted(result.release.checksums):
            print(f"  {result.release.location(name)}\n    sha256 {result.release.checksums[name]}")
    return EXIT_OK
