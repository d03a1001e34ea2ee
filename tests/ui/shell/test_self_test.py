"""`companion --self-test`: what CI runs on the frozen app, proven here on the source tree."""

from __future__ import annotations

from tests.cli.test_cli import _env, run


def test_the_self_test_passes_every_step_without_a_screen(tmp_path):
    result = run(None, "--self-test", env=_env(QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stdout + result.stderr
    steps = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert steps == [
        "ok   workspace",
        "ok   main window",
        "ok   search",
        "ok   brief as PDF",
        "ok   contacts and calendars",
    ]
    assert result.stdout.rstrip().endswith("self-test passed")


def test_a_failing_step_is_named_and_the_status_is_1(monkeypatch, capsys):
    from companion.core import demo
    from companion.ui.shell import self_test

    def broken(_ws, **_kw):
        raise OSError("the demo file is missing from this build")

    monkeypatch.setattr(demo, "load_demo", broken)
    assert self_test.run() == 1
    assert "FAIL OSError: the demo file is missing from this build" in capsys.readouterr().out
