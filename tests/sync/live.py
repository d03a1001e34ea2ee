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


@contextlib.contextmanager
def serving_process(data_dir, *, database: str | None = None, env: dict | None = None) -> Iterator[str]:
    """`companion serve` in its own process (as deployed: it shares no interpreter lock with its
    clients), answering on 127.0.0.1 once it yields; terminated on leaving."""
    port = free_port()
    command = [sys.executable, "-m", "companion", "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), *(["--database", database] if database else [])]
    process = subprocess.Popen(
        command, env=env or os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"the server did not start: {process.stdout.read() if process.stdout else ''}"
                )
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
