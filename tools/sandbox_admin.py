"""A client of a running sandbox simulator's admin endpoints (``/_sandbox/...``), shared by the tools
that drive Odoo against the simulators: arm and clear faults, read recorded requests and the
requests in flight, reset, read Metakocka documents and set an order's status as a Metakocka user
would, read and seed ERPNext documents."""

import json
import urllib.parse
import urllib.request


class SandboxAdmin:
    def __init__(self, url, timeout=30):
        self.url = url
        self.timeout = timeout

    def ready(self):
        try:
            self._call("GET", "/_sandbox/faults")
        except OSError:
            return False
        return True

    # -- both simulators --------------------------------------------------------------------

    def add_fault(self, kind, **options):
        """Arm a fault (see sandbox/core/faults.py); returns its id."""
        return self._call("POST", "/_sandbox/faults", {"kind": kind, **options})["id"]

    def clear_faults(self):
        self._call("DELETE", "/_sandbox/faults")

    def requests(self, op=None):
        """The recorded requests (oldest first), of operation ``op`` or all."""
        return self._call("GET", "/_sandbox/requests" + _query(op=op))

    def clear_requests(self):
        self._call("DELETE", "/_sandbox/requests")

    def in_flight(self, op=None):
        """The requests the simulator is serving right now."""
        return self._call("GET", "/_sandbox/in_flight" + _query(op=op))

    def reset(self):
        self._call("POST", "/_sandbox/reset")

    # -- Metakocka ---------------------------------------------------------------------------

    def documents(self, doc_type):
        return self._call("GET", "/_sandbox/documents" + _query(doc_type=doc_type))

    def set_order_status(self, mk_id, status_code):
        """Give the sales order ``mk_id`` the status ``status_code`` (its Opis), as a Metakocka user
        would; returns the order as :meth:`documents` shows it."""
        return self._call("POST", "/_sandbox/order_status", {"mk_id": mk_id, "status_code": status_code})

    def register_size(self):
        """``{"partners": n, "products": n}``: how many Metakocka holds."""
        return self._call("GET", "/_sandbox/register_size")

    def seed_master_data(self, partners=0, products=0, prefix="GEN"):
        """Add generated partners and products with stock (``sandbox/metakocka/master_data.py``)."""
        return self._call("POST", "/_sandbox/seed_master_data",
                          {"partners": partners, "products": products, "prefix": prefix})

    def set_stock(self, product_code, mark, amount=None, microlocations=None):
        """Set a product's stock in a warehouse as a Metakocka user would; its rows there."""
        options = {"product_code": product_code, "mark": mark, "amount": amount, "microlocations": microlocations}
        return self._call("POST", "/_sandbox/set_stock", {k: v for k, v in options.items() if v is not None})

    def send_stock_webhook(self, url, client_secret, product_codes, **options):
        """Metakocka's stock webhook for ``product_codes`` to ``url``; the HTTP status Odoo answered."""
        return self._call("POST", "/_sandbox/stock_webhook", {
            "url": url, "client_secret": client_secret, "product_codes": list(product_codes), **options})["status"]

    # -- ERPNext -----------------------------------------------------------------------------

    def docs(self, doctype):
        return self._call("GET", "/_sandbox/docs" + _query(doctype=doctype))

    def seed(self, customers, **options):
        """Add ``customers`` generated customers with contacts and addresses."""
        return self._call("POST", "/_sandbox/seed", {"customers": customers, **options})

    # -- HTTP --------------------------------------------------------------------------------

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.load(response)


def _query(**params):
    present = {key: value for key, value in params.items() if value is not None}
    return f"?{urllib.parse.urlencode(present)}" if present else ""
