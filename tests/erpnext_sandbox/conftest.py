"""Fixtures for the ERPNext simulator fidelity tests.

One simulator runs for the whole session (in-process, on a free port, webhooks sent only when a
test asks); every test gets it back in its initial state. Tests talk to it with plain
``requests``, as any Frappe client would.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from sandbox.erpnext import DEFAULT_API_KEY, DEFAULT_API_SECRET, ERPNextSimulator

TOKEN = f"token {DEFAULT_API_KEY}:{DEFAULT_API_SECRET}"


class FrappeApi:
    """Calls the simulator like a Frappe client: token auth, JSON in, JSON out."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers.update({"Authorization": TOKEN, "Accept": "application/json"})

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url + path, **kwargs)

    def list(self, doctype: str, **params: Any) -> list[Any]:
        encoded = {key: json.dumps(value) if isinstance(value, (list, dict)) else value for key, value in params.items()}
        response = self.request("GET", f"/api/resource/{doctype}", params=encoded)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def get(self, doctype: str, name: str) -> dict[str, Any]:
        response = self.request("GET", f"/api/resource/{doctype}/{name}")
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def insert(self, doctype: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("POST", f"/api/resource/{doctype}", json=body)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def update(self, doctype: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("PUT", f"/api/resource/{doctype}/{name}", json=body)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def error(self, method: str, path: str, status: int, exc_type: str, **kwargs: Any) -> list[str]:
        """Assert a Frappe error answer; returns its messages, decoded twice as a client must."""
        response = self.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["exc_type"] == exc_type, body
        return [json.loads(item)["message"] for item in json.loads(body.get("_server_messages", "[]"))]


class Receiver:
    """A small HTTP server that records what webhooks deliver and answers with ``status``."""

    def __init__(self) -> None:
        self.deliveries: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.deliveries.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def server():
    with ERPNextSimulator(webhook_mode="manual", webhook_retry_delays=(0.01, 0.01)) as simulator:
        yield simulator


@pytest.fixture
def sim(server: ERPNextSimulator):
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def api(sim: ERPNextSimulator):
    client = FrappeApi(sim.url)
    yield client
    client.session.close()


@pytest.fixture
def receiver():
    hook = Receiver()
    yield hook
    hook.close()
