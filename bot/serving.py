"""Serve a WSGI app on a loopback port in a background thread (tests, simulator, benchmarks)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server


@dataclass
class BackgroundServer:
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


def serve_in_thread(app: Any, port: int = 0) -> BackgroundServer:
    """Start a threaded server on 127.0.0.1 (port 0: any free port) and return at once."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="wsgi", daemon=True)
    thread.start()
    return BackgroundServer(server, thread)
