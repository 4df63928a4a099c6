"""Fixtures for the Metakocka simulator fidelity tests.

One simulator runs for the whole session (started in-process on a free port); every test gets
it reset to the seeded state. Tests talk to it with plain ``requests``, as a client would.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any, Callable

import pytest
import requests

from sandbox.metakocka import MetakockaSimulator

COMPANY_ID = "1000"
SECRET_KEY = "sandbox-secret"

# Where the real service answers each operation (reference §1.1).
PATHS = {
    **{op: f"/rest/eshop/v1/{op}" for op in (
        "put_document", "get_document", "update_document", "delete_document", "change_document_status",
        "search", "put_transaction", "get_partner", "add_partner", "update_partner", "mark_orders_as_shipped")},
    **{op: f"/rest/eshop/v1/json/{op}" for op in (
        "product_list", "product_add", "product_update", "product_delete", "warehouse_list", "warehouse_stock")},
    "sync_stock": "/rest/eshop/sync_stock",
}


class MkClient:
    """Posts like a Metakocka client: credentials in the JSON body, every call a POST."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.session.post(self.url + path, json=body, **kwargs)

    def call(self, op: str, **params: Any) -> dict[str, Any]:
        """The decoded answer of ``op``; the transport must be HTTP 200 JSON."""
        response = self.post(PATHS[op], {"secret_key": SECRET_KEY, "company_id": COMPANY_ID, **params})
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("application/json")
        return response.json()

    def ok(self, op: str, **params: Any) -> dict[str, Any]:
        answer = self.call(op, **params)
        assert answer.get("opr_code", "0") == "0", answer
        return answer

    def error(self, op: str, opr_code: str, **params: Any) -> str:
        """Assert that ``op`` fails with ``opr_code``; returns ``opr_desc``."""
        answer = self.call(op, **params)
        assert answer["opr_code"] == opr_code, answer
        return answer["opr_desc"]

    def document(self, doc_type: str, mk_id: str, **flags: Any) -> dict[str, Any]:
        return self.ok("get_document", doc_type=doc_type, doc_id=mk_id, **flags)


# Seeded records (see sandbox/metakocka/seed.py).
NOVAK = {"mk_id": "1600000201", "mk_address_id": "1600000202"}
KRANJC = {"mk_id": "1600000211", "mk_address_id": "1600000212"}
ALPEN = {"mk_id": "1600000221", "mk_address_id": "1600000222"}
MAIN_WAREHOUSE, SHOP_WAREHOUSE = "1600000101", "1600000102"


def order_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "doc_type": "sales_order",
        "doc_date": "15.01.2026",
        "buyer_order": "WEB-1001",
        "partner": dict(NOVAK),
        "product_list": [{"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095"}],
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="session")
def server():
    with MetakockaSimulator(port=0) as simulator:
        yield simulator


@pytest.fixture
def sim(server: MetakockaSimulator):
    server.reset()
    server.set_now(None)
    server.search_delay = 0.0
    yield server
    server.clear_faults()


@pytest.fixture
def mk(sim: MetakockaSimulator):
    client = MkClient(sim.url)
    yield client
    client.session.close()


@pytest.fixture
def put_order(mk: MkClient) -> Callable[..., dict[str, Any]]:
    """Put a sales order (a valid default, overridden by keyword) and return the answer."""
    return lambda **overrides: mk.ok("put_document", **order_body(**overrides))


@pytest.fixture(name="order_body")
def order_body_fixture() -> Callable[..., dict[str, Any]]:
    """Build a valid sales-order body for put_document, overridden by keyword."""
    return order_body


@pytest.fixture
def seed() -> SimpleNamespace:
    """The seeded ids the tests refer to."""
    return SimpleNamespace(novak=NOVAK, kranjc=KRANJC, alpen=ALPEN, main=MAIN_WAREHOUSE, shop=SHOP_WAREHOUSE)


# --- a webhook receiver -----------------------------------------------------------------------


class Receiver:
    """A webhook endpoint that records what it gets and answers with scripted statuses."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b'{"status":"ok"}' if status == 200 else b"busy"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/metakocka/stock"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receivers = []

    def make(*statuses):
        receivers.append(Receiver(statuses))
        return receivers[-1]

    yield make
    for item in receivers:
        item.close()
