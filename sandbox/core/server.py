"""A threaded HTTP/1.1 server that hands every request to one callable.

Keep-alive is supported (HTTP/1.1, every response has a Content-Length). The callable may
return :data:`~sandbox.core.messages.NO_REPLY`; the connection is then shut down without a
byte of response, which a client sees as "connection closed / reset by peer".
"""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from .messages import NoReply, Reply, Request, Response

logger = logging.getLogger("sandbox.http")

App = Callable[[Request], Reply]


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App):
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut open keep-alive connections, so nothing is served after the server stopped."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            _hang_up(connection)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SandboxSimulator/1.0"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    # Headers and body go out in two writes; with Nagle's algorithm the second one waits for
    # the client's delayed ACK (~40 ms a request).
    disable_nagle_algorithm = True

    server: SimulatorServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        request = Request(self.command, url.path, parse_qs(url.query), self.headers, body)
        try:
            reply = self.server.app(request)
        except Exception:
            logger.exception("unhandled error while serving %s %s", self.command, url.path)
            reply = Response.html(500)
        if isinstance(reply, NoReply):
            self.log_message('"%s" closed without a reply', self.requestline)
            self.close_connection = True
            _hang_up(self.connection)
            return
        self._send(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError as error:  # the client gave up (e.g. its read timeout ran out)
            logger.info("client went away before the reply was sent: %s", error)
            self.close_connection = True

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        # Only the request line and status are logged; bodies (with credentials) never are.
        logger.debug("%s %s", self.address_string(), format % args)


def _hang_up(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed
