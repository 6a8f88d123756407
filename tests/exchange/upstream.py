"""A small real upstream service on 127.0.0.1 standing for a department's own system."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.tls import Handshakes, Pki, serve_tls

PEOPLE = [
    {
        "bh": "A001",
        "xm": "张三丰",
        "sfzh": "110105194912310025",
        "sj": "13812341234",
        "qh": "340102",
        "bz": "甲",
    },
    {
        "bh": "A002",
        "xm": "李四",
        "sfzh": "340102198001010019",
        "sj": "13912345678",
        "qh": "340103",
        "bz": "乙",
    },
]


class Upstream:
    """What the upstream saw (paths, headers, bodies) and what it is told to answer."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        self.status = 200  # set to 500 to make it fail
        self.body: bytes | None = None  # set to answer something other than the records
        self.port = 0
        self.handshakes: Handshakes | None = None  # an https upstream's (tests.tls)

    def url(self, path: str = "/people", host: str = "127.0.0.1") -> str:
        scheme = "http" if self.handshakes is None else "https"
        return f"{scheme}://{host}:{self.port}{path}"

    def reset(self) -> None:
        self.seen.clear()
        self.status = 200
        self.body = None


def _handler(state: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per answer, sent at once: headers and body in separate small writes wait
        # for the client's delayed ACK (Nagle), 40 ms a call on loopback.
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, query: dict) -> None:
            state.seen.append({"path": self.path, "headers": dict(self.headers), "query": query})
            if state.status != 200:
                body = b'{"error": "down"}'
            elif state.body is not None:
                body = state.body
            else:
                wanted = query.get("bh")
                body = json.dumps(
                    {"results": [p for p in PEOPLE if wanted in (None, p["bh"])]},
                    ensure_ascii=False,
                ).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            self._answer(query)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            self._answer(json.loads(raw or b"{}"))

    return Handler


@contextmanager
def running(tls: Pki | None = None) -> Iterator[Upstream]:
    """Run the upstream; over https with ``tls``'s certificate when given."""
    state = Upstream()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    if tls is not None:
        state.handshakes = serve_tls(server, tls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        # shutdown() waits for serve_forever to say it stopped: if the thread is gone (the
        # interpreter ends daemon threads at exit, before a leftover context is finalized)
        # it would wait for ever.
        if thread.is_alive():
            server.shutdown()
        server.server_close()
