"""A response cache in SQLite, so a rerun (or another preset making an identical call) never pays twice.

Keyed on provider, model, server, prompt, temperature, seed and output limit: distinct samples of one prompt
differ by seed and stay distinct. Identical calls in flight at the same time share one request.
"""

import asyncio
import hashlib
import json
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class CachedResponse(NamedTuple):
    text: str
    input_tokens: int | None  # None: the server reported no usage
    output_tokens: int | None


def cache_key(**parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class ResponseCache:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # WAL with NORMAL sync: a committed answer survives the process being killed, at a fraction of a ms.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses "
            "(key TEXT PRIMARY KEY, text TEXT NOT NULL, input_tokens INTEGER, output_tokens INTEGER)"
        )
        self._lock = threading.Lock()
        self._in_flight: dict[str, asyncio.Future] = {}

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            row = self._db.execute(
                "SELECT text, input_tokens, output_tokens FROM responses WHERE key = ?", (key,)
            ).fetchone()
        return CachedResponse(*row) if row else None

    def put(self, key: str, response: CachedResponse) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?)", (key, *response))

    async def get_or_call(self, key: str, call: Callable[[], Awaitable[CachedResponse]]) -> tuple[CachedResponse, bool]:
        """The cached response and True, or the result of `call()` (stored) and False. A second identical call
        that arrives while the first is in flight waits for it and counts as cached."""
        if (hit := self.get(key)) is not None:
            return hit, True
        if (pending := self._in_flight.get(key)) is not None:
            return await asyncio.shield(pending), True
        future = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            response = await call()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters re-raise it, nobody else needs to
            raise
        finally:
            self._in_flight.pop(key, None)
        self.put(key, response)
        future.set_result(response)
        return response, False

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]


@lru_cache(maxsize=16)
def open_cache(path: str) -> ResponseCache:
    """One cache object per file in a process, so concurrent runs share in-flight requests."""
    return ResponseCache(path)
