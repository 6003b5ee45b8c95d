"""A loopback HTTP receiver for notification tests: records each POST, answers a fixed status."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler

from demo.web import QuietServer


class Receiver:
    """A loopback HTTP server that records each POST body and answers with `status`."""

    def __init__(self, status: int = 200) -> None:
        received: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append({"path": self.path, "type": self.headers.get("Content-Type"), "body": json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.received = received
        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
