"""Small HTTP stand-ins on loopback for servers that cannot run here (Ollama) and for fault injection into
the OpenAI-compatible path. They speak just enough of each API for the client libraries to talk to them."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int
    body: dict


@dataclass
class StandIn:
    url: str
    requests: list[dict] = field(default_factory=list)


@contextmanager
def serving(respond: Callable[[str, dict], Reply]) -> Iterator[StandIn]:
    """Serve POST requests with `respond(path, json_body)` on a free loopback port until the block ends."""
    standin = StandIn(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            standin.requests.append({"path": self.path, **body})
            reply = respond(self.path, body)
            data = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()


def chat_completion(text: str, prompt_tokens: int, completion_tokens: int, model: str = "gpt-4o-mini") -> Reply:
    """An OpenAI chat-completions answer with usage."""
    return Reply(
        200,
        {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def prompt_of(body: dict) -> str:
    return "\n".join(message["content"] for message in body.get("messages", []))


def boxed(value: str) -> str:
    return f"Therefore, the final answer is: $\\boxed{{{value}}}$"
