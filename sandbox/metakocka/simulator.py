"""The Metakocka API simulator."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core import Request, Response, Route, Simulator
from ..core.admin import json_object
from . import master_data, products, registers, stock, user_changes, values, webhook
from . import partners as partner_register
from .api import Credentials
from .documents import render_document
from ..core.persistence import StateFile
from .routes import build_routes, find_route
from .seed import DEFAULT_API_USER, add_missing_registers, initial_data
from .state import Store
from .values import clean

ALL_DETAILS = {"show_payment_detail": "true", "show_last_payment_date": "true", "show_tax_factor": "true",
               "show_product_detail": "true"}


class MetakockaSimulator(Simulator):
    """A stateful stand-in for ``https://main.metakocka.si/rest/eshop/...``::

        with MetakockaSimulator() as sim:
            requests.post(f"{sim.url}/rest/eshop/v1/put_document", json={...})
    """

    secret_fields = ("secret_key",)

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        company_id: str | int = "1000",
        secret_key: str = "sandbox-secret",
        state_file: str | Path | None = None,
        seed: bool = True,
        api_user_email: str = DEFAULT_API_USER,
        search_delay: float = 0.0,
    ) -> None:
        super().__init__(host, port)
        self.company_id = str(company_id)
        self.api_user_email = api_user_email
        self.store = Store(lambda: initial_data(api_user_email, sample_data=seed),
                           StateFile(state_file) if state_file else None)
        self.store.search_delay = search_delay
        with self.store.write() as data:  # a state file from another run may lack this user or a register
            add_missing_registers(data, api_user_email)
        self._routes = build_routes(self.store, Credentials(self.company_id, secret_key))
        self._event_ids = itertools.count(1)

    # --- Simulator hooks -----------------------------------------------------------------

    def route(self, request: Request) -> Route | None:
        return find_route(self._routes, request.path)

    def reset_state(self) -> None:
        self.store.reset()
        self.store.single_result_as_object = False

    def rate_limit_response(self) -> Response:
        return Response.json({"opr_code": "5",
                              "opr_desc": "Quote exceeds the allowed number of calls. Try again later.",
                              "opr_time_ms": "0"})

    def admin_routes(self):
        return {
            ("GET", "documents"): lambda request: self.documents(request.query_value("doc_type") or "sales_order"),
            ("POST", "stock_webhook"): self._admin_stock_webhook,
            ("POST", "order_status"): self._admin_order_status,
            ("POST", "edit_order"): self._admin_edit_order,
            ("POST", "seed_master_data"): lambda request: self.seed_master_data(**_fields(
                json_object(request), "partners", "products", "prefix")),
            ("POST", "set_stock"): lambda request: self.set_stock(**_fields(
                json_object(request), "product_code", "mark", "amount", "microlocations")),
            ("POST", "payment"): self._admin_payment,
            ("POST", "edit_partner"): self._admin_edit_partner,
            ("GET", "partners"): lambda request: self.partners(),
            ("GET", "register_size"): lambda request: self.register_size(),
        }

    # --- test and demo helpers -------------------------------------------------------------

    @property
    def search_delay(self) -> float:
        """Seconds every search takes (searches run one at a time, so concurrent ones queue)."""
        return self.store.search_delay

    @search_delay.setter
    def search_delay(self, seconds: float) -> None:
        self.store.search_delay = seconds

    @property
    def single_result_as_object(self) -> bool:
        """Whether a search page of one record gives it as a bare object (off again after reset())."""
        return self.store.single_result_as_object

    @single_result_as_object.setter
    def single_result_as_object(self, enabled: bool) -> None:
        self.store.single_result_as_object = bool(enabled)

    def set_raw_fields(self, mk_id: str, /, **fields: Any) -> None:
        """Show ``fields`` in place of the document's own in get_document and search, as they are
        (only made Metakocka-shaped: scalars become strings, ``None`` leaves the field out): a
        malformed document for a client to survive. Replaces earlier raw fields; with none, the
        document shows its own again. A put_document that replaces the document drops them.
        ``mk_id`` may be among ``fields`` too: ``mk_id=None`` shows the document without its id."""
        with self.store.write() as data:
            document = data["documents"].get(str(mk_id))
            if document is None:
                raise KeyError(f"no document {mk_id}")
            document["raw_fields"] = fields

    def set_product_raw_fields(self, mk_id: str, /, **fields: Any) -> None:
        """Show ``fields`` in place of the catalogue product's own in product_list, as they are (see
        :meth:`set_raw_fields`): a malformed product row for a client to survive. With none, the
        product shows its own again."""
        with self.store.write() as data:
            product = data["products"].get(str(mk_id))
            if product is None:
                raise KeyError(f"no product {mk_id}")
            product["raw_fields"] = fields

    def set_partner_raw_fields(self, mk_id: str, /, **fields: Any) -> None:
        """Show ``fields`` in place of the partner's own in get_partner and update_partner, as they
        are (see :meth:`set_raw_fields`): a malformed register row, or a row with Metakocka's
        ``provice`` typo (give the whole ``partner_delivery_address_list``). With none, the partner
        shows its own again; an update_partner or a user's edit drops them."""
        with self.store.write() as data:
            partner = data["partners"].get(str(mk_id))
            if partner is None:
                raise KeyError(f"no partner {mk_id}")
            partner["raw_fields"] = fields

    def partner(self, mk_id: str) -> dict[str, Any]:
        """The partner ``mk_id`` as get_partner shows it (``KeyError`` if none)."""
        with self.store.read() as data:
            partner = data["partners"].get(str(mk_id))
            if partner is None:
                raise KeyError(f"no partner {mk_id}")
            return clean(partner_register.register_view(partner))

    def partners(self) -> list[dict[str, Any]]:
        """Every partner of the register, oldest first, as get_partner shows them."""
        with self.store.read() as data:
            return [clean(partner_register.register_view(partner)) for partner in data["partners"].values()]

    def products(self) -> dict[str, dict[str, Any]]:
        """The stored catalogue products by mk_id, as stored (copies)."""
        with self.store.read() as data:
            return {mk_id: dict(product) for mk_id, product in data["products"].items()}

    def documents(self, doc_type: str) -> list[dict[str, Any]]:
        """The stored documents of ``doc_type``, oldest first, as get_document shows them with
        every ``show_*`` detail flag on (without ``opr_code``)."""
        with self.store.read() as data:
            return [clean(render_document(data, doc, ALL_DETAILS))
                    for doc in data["documents"].values() if doc["doc_type"] == doc_type]

    def document(self, mk_id: str) -> dict[str, Any]:
        """The stored document ``mk_id`` as :meth:`documents` shows it (``KeyError`` if none)."""
        with self.store.read() as data:
            document = data["documents"].get(str(mk_id))
            if document is None:
                raise KeyError(f"no document {mk_id}")
            return clean(render_document(data, document, ALL_DETAILS))

    # --- changes "made in Metakocka" (see user_changes) -------------------------------------

    def set_order_status(self, mk_id: str, status_code: str) -> dict[str, Any]:
        """Give the sales order ``mk_id`` the status with Opis ``status_code``, as a Metakocka
        user would (``last_change_ts`` moves if it changed). Returns the order as
        :meth:`document` shows it; ``ValueError`` for an unknown order or status."""
        user_changes.set_order_status(self.store, str(mk_id), status_code)
        return self.document(mk_id)

    def edit_order(self, mk_id: str, /, **changes: Any) -> dict[str, Any]:
        """Edit the sales order ``mk_id`` as a Metakocka user would: head fields (``title``,
        ``notes``, ``delivery_type``, ``buyer_order``, ..., ``""`` clears), ``doc_date``, and
        everything update_document takes (``product_add``, ``product_list`` with
        ``mk_row_id``, ``product_remove``, ``partner``, ``warehouse``, ``status_code``, ...).
        ``last_change_ts`` moves if anything changed. Returns the order as :meth:`document`
        shows it; ``ValueError`` for an unknown order or field, or a change Metakocka refuses."""
        user_changes.edit_order(self.store, str(mk_id), changes)
        return self.document(mk_id)

    def add_payment(self, mk_id: str, amount: Any, *, date: Any = None, payment_type: str | None = None,
                    notes: str | None = None) -> dict[str, Any]:
        """Record a payment on the document ``mk_id`` (a bill, an order …) as a Metakocka user would, e.g.
        from a bank statement: ``amount`` as a number or Metakocka text (negative: paid back), ``date``
        ``dd.mm.yyyy`` or ISO (today when none), ``payment_type`` a Vrednost of "Vrsta plačila" (a bank
        transfer when none). ``last_change_ts`` moves. Returns the document as :meth:`document` shows it
        (``sum_paid``, ``mark_paid``, ``last_paid_date`` …); ``ValueError`` for what Metakocka would refuse."""
        user_changes.add_payment(self.store, str(mk_id), amount, date=date, payment_type=payment_type, notes=notes)
        return self.document(mk_id)

    def edit_partner(self, mk_id: str, /, **changes: Any) -> dict[str, Any]:
        """Change the partner ``mk_id`` as a Metakocka user would: ``customer``, ``tax_id_number``,
        ``registration_number``, flags, the billing address (``street``, ``street_number``,
        ``post_number``, ``city`` or ``place``, ``province``, ``country``; ``""`` clears), entries of
        ``partner_delivery_address_list`` / ``partner_contact_list`` (with ``mk_id`` edited, without
        added), ``remove_address_ids`` and ``remove_contact_ids``. Returns the partner as
        :meth:`partner` shows it; ``ValueError`` for an unknown partner or field."""
        user_changes.edit_partner(self.store, str(mk_id), changes)
        return self.partner(mk_id)

    def set_now(self, moment: datetime | None) -> None:
        """Freeze the clock used for ``created_ts``/``last_change_ts`` etc. (``None`` = real time)."""
        self.store.set_now(moment)

    def set_status_register(self, doc_type: str, pairs: list[tuple[str, str]]) -> None:
        """Replace the status register of ``doc_type``'s family with ``[(Vrednost, Opis), ...]``."""
        with self.store.write() as data:
            registers.set_status_register(data, doc_type, pairs)

    def register_size(self) -> dict[str, int]:
        """How many partners and catalogue products Metakocka holds."""
        with self.store.read() as data:
            return {"partners": len(data["partners"]), "products": len(data["products"])}

    def seed_master_data(self, partners: int = 0, products: int = 0, prefix: str = "GEN") -> dict[str, int]:
        """Add generated partners and products with stock (see :mod:`.master_data`): a register at scale."""
        return master_data.seed_master_data(self.store, int(partners), int(products), prefix)

    def set_stock(self, product_code: str, mark: str, amount: Any = None,
                  microlocations: dict[str, Any] | None = None) -> dict[str, Any]:
        """Set a product's stock in the warehouse ``mark`` as a Metakocka user's inventory would: an
        ``amount`` on one row, or ``microlocations`` (``{"A1": "3", "B2": "4"}``) on several. Returns
        the product's warehouse_stock rows there; ``ValueError`` for an unknown product or warehouse."""
        with self.store.write() as data:
            product = products.find_product(data, code=product_code)
            warehouse = next((found for found in data["warehouses"] if found["mark"] == mark), None)
            if product is None or warehouse is None:
                raise ValueError(f"no product {product_code!r} or no warehouse {mark!r}")
            with user_changes.as_value_errors():
                stock.set_microlocations(data, product["mk_id"], warehouse["mk_id"], microlocations or {})
                if not microlocations:
                    data["stock"].setdefault(product["mk_id"], {})[warehouse["mk_id"]] = str(
                        values.parse_decimal(amount, "amount"))
            rows = [row for current, level in stock.StockLevels(data).for_product(product["mk_id"])
                    if current["mk_id"] == warehouse["mk_id"]
                    for row in stock.stock_rows(data, product, current, level)]
            return {"stock_list": clean(rows) or []}

    def send_stock_webhook(self, url: str, client_secret: str, product_code: str | list[str], *, retries: int = 2,
                           retry_delay: float = 60.0, timeout: float = 10.0) -> int | None:
        """POST a ``warehouse_product_stock_update`` event for ``product_code`` (or a list of codes: one
        event with the rows of each) to ``url``, retrying ``retries`` more times (``retry_delay`` s
        apart) until it is acknowledged with HTTP 200 and ``{"status": "ok"}``. Returns the last HTTP
        status (None: no answer)."""
        with self.store.read() as data:
            body = webhook.stock_event_body(data, product_code)
        return webhook.deliver(url, body, client_secret, next(self._event_ids),
                               retries=retries, retry_delay=retry_delay, timeout=timeout)

    def _admin_stock_webhook(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        codes = options.get("product_codes") or options.get("product_code")
        for name, value in (("url", options.get("url")), ("client_secret", options.get("client_secret")),
                            ("product_code", codes)):
            if not value:
                raise ValueError(f"{name} is required")
        extra = {key: options[key] for key in ("retries", "retry_delay", "timeout") if key in options}
        status = self.send_stock_webhook(options["url"], options["client_secret"], codes, **extra)
        return {"status": status}

    def _admin_order_status(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        for name in ("mk_id", "status_code"):
            if not options.get(name):
                raise ValueError(f"{name} is required")
        return self.set_order_status(options["mk_id"], options["status_code"])

    def _admin_edit_partner(self, request: Request) -> dict[str, Any]:
        changes = json_object(request)
        mk_id = changes.pop("mk_id", None)
        if not mk_id:
            raise ValueError("mk_id is required")
        return self.edit_partner(mk_id, **changes)

    def _admin_edit_order(self, request: Request) -> dict[str, Any]:
        changes = json_object(request)
        mk_id = changes.pop("mk_id", None)
        if not mk_id:
            raise ValueError("mk_id is required")
        return self.edit_order(mk_id, **changes)

    def _admin_payment(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        for name in ("mk_id", "amount"):
            if options.get(name) in (None, ""):
                raise ValueError(f"{name} is required")
        extra = {key: options[key] for key in ("date", "payment_type", "notes") if key in options}
        return self.add_payment(options["mk_id"], options["amount"], **extra)


def _fields(options: dict[str, Any], *names: str) -> dict[str, Any]:
    """The admin call's options that the method takes (``ValueError`` for any other)."""
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ValueError(f"unknown option {', '.join(unknown)} (known: {', '.join(names)})")
    return options
