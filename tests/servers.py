"""Start and stop real servers on loopback for integration tests."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    ready_url: str,
    log: Path,
    *,
    timeout: float = 120,
    env: dict | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen]:
    """Run `command` in its own process group until `ready_url` answers; stop the group by PID afterwards."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(ready_url, timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                    if time.monotonic() > deadline:
                        raise TimeoutError(
                            f"{ready_url} did not answer in {timeout} s:\n{log.read_text()[-3000:]}"
                        ) from error
                    time.sleep(0.5)
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
