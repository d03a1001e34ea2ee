"""A real uvicorn server on 127.0.0.1, in a thread of the test process or as `companion serve` in a process of
its own; stopped on leaving."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn

from companion.server import admin
from companion.server.app import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(engine) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class ServerProcess:
    """`companion serve` in its own process (as deployed: it shares no interpreter lock with its
    clients) on a fixed port of 127.0.0.1, so it can be killed and started again at the same address."""

    def __init__(self, data_dir, *, database: str | None = None, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "serve"]
        self.command += ["--host", "127.0.0.1", "--port", str(self.port)]
        self.command += ["--database", database] if database else []
        self.env = env or os.environ.copy()
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                output = self.process.stdout.read() if self.process.stdout else ""
                raise RuntimeError(f"the server did not start: {output}")
            time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time the running server has used (user and system), from /proc."""
        assert self.process is not None
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL: no shutdown, whatever it was doing is cut off."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextlib.contextmanager
def serving_process(data_dir, *, database: str | None = None, env: dict | None = None) -> Iterator[str]:
    """A ServerProcess answering once it yields its URL; stopped on leaving."""
    server = ServerProcess(data_dir, database=database, env=env)
    try:
        yield server.start()
    finally:
        server.stop()


def team_with_devices(engine, devices: int) -> tuple[str, list[str]]:
    """A migrated server database's team "North" with one member and `devices` device tokens: the team
    id and the tokens."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        team_id = admin.add_team(conn, "North")
        admin.add_account(conn, "mira")
        admin.add_member(conn, team_name="North", user_name="mira")
        tokens = [admin.issue_token(conn, user_name="mira", device=f"d{n}")[1] for n in range(devices)]
    return team_id, tokens
