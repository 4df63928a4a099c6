"""The simulated site's data: documents per doctype behind one lock, plus its settings.

A document is a JSON-ready dict holding every field of its doctype (``None`` when unset), the
standard fields (``name``, ``owner``, ``creation``, ``modified``, ``modified_by``, ``docstatus``,
``idx``, ``doctype``) and its child tables as lists of child dicts. Timestamps are stored as the
strings Frappe sends (``str(datetime)`` in the site's zone).

Handlers validate before they change anything; a change half-way is not rolled back.
"""

from __future__ import annotations

import copy
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .clock import SiteClock
from .doctypes import DOCTYPES, PARENT_DOCTYPES, TABLE

Doc = dict[str, Any]


@dataclass
class SiteSettings:
    """What differs between ERPNext sites (and versions) and matters to a client."""

    #: Selling Settings "Customer Naming By": ``customer_name`` (duplicates become "Name - 1") or
    #: ``naming_series`` (``CUST-.YYYY.-#####``).
    customer_naming: str = "customer_name"
    #: Selling Settings defaults, used when a new Customer has no group or territory (v15).
    default_customer_group: str | None = "Commercial"
    default_territory: str | None = "All Territories"
    #: 15: wrong credentials are a 401 and DELETE answers ``{"data": "ok"}``; 14: wrong
    #: credentials fall through to Guest (403) and DELETE answers ``{"message": "ok"}``.
    frappe_version: int = 15
    #: System Settings "Allow error traceback": adds ``exception`` and ``exc`` to error answers.
    show_traceback: bool = False
    #: Roles of the API user; ``Deleted Document`` needs System Manager.
    api_user_roles: set[str] = field(default_factory=lambda: {"System Manager", "Sales User"})
    #: ``maintenance_mode`` in site_config: every API call answers 503 ``SessionStopped``.
    maintenance_mode: bool = False
    #: Longest request line nginx accepts before answering 414.
    max_url_length: int = 8190
    #: Rows equal on every ``order_by`` key come back in an order that may change from one
    #: request to the next (``random``), as a database may return them, or in insertion order.
    tie_order: str = "random"


class Store:
    def __init__(self, clock: SiteClock, initial_data: Callable[[], dict[str, dict[str, Doc]]],
                 settings: SiteSettings | None = None) -> None:
        self.clock = clock
        self.settings = settings or SiteSettings()
        self._initial_data = initial_data
        self.lock = threading.RLock()
        self.docs: dict[str, dict[str, Doc]] = {}
        self._folded: dict[str, dict[str, str]] = {}  # doctype -> casefolded name -> name
        self.series: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        with self.lock:
            data = self._initial_data()
            self.docs = {name: dict(data.get(name, {})) for name in PARENT_DOCTYPES}
            self._folded = {name: {key.casefold(): key for key in docs} for name, docs in self.docs.items()}
            self.series = {}

    # --- reading -------------------------------------------------------------------------

    def table(self, doctype: str) -> dict[str, Doc]:
        return self.docs[doctype]

    def find(self, doctype: str, name: Any) -> Doc | None:
        """The document named ``name``; names compare case-insensitively, as in MariaDB."""
        if name is None or doctype not in self.docs:
            return None
        docs = self.docs[doctype]
        text = str(name)
        if text in docs:
            return docs[text]
        key = self._folded[doctype].get(text.strip().casefold())
        return docs.get(key) if key is not None else None

    def exists(self, doctype: str, name: Any) -> bool:
        return self.find(doctype, name) is not None

    def snapshot(self, doctype: str, name: str) -> Doc | None:
        with self.lock:
            doc = self.find(doctype, name)
            return copy.deepcopy(doc) if doc is not None else None

    # --- writing -------------------------------------------------------------------------

    def new_doc(self, doctype: str, user: str) -> Doc:
        """A blank document with defaults and the standard fields (no name yet)."""
        meta = DOCTYPES[doctype]
        now = self.clock.now_str()
        doc: Doc = {"name": None, "owner": user, "creation": now, "modified": now, "modified_by": user,
                    "docstatus": 0, "idx": 0, "doctype": doctype}
        for fieldname, f in meta.fields.items():
            doc[fieldname] = [] if f.type == TABLE else f.default
        return doc

    def new_child(self, child_doctype: str, parent: Doc, parentfield: str, idx: int, values: dict[str, Any],
                  user: str) -> Doc:
        row = self.new_doc(child_doctype, user)
        row.update(name=values.get("name") or secrets.token_hex(5), parent=parent["name"],
                   parentfield=parentfield, parenttype=parent["doctype"], idx=idx,
                   creation=parent["creation"], modified=parent["modified"])
        return row

    def put(self, doc: Doc) -> None:
        self.docs[doc["doctype"]][doc["name"]] = doc
        self._folded[doc["doctype"]][doc["name"].casefold()] = doc["name"]

    def remove(self, doctype: str, name: str) -> None:
        self.docs[doctype].pop(name, None)
        self._folded[doctype].pop(name.casefold(), None)

    def next_in_series(self, prefix: str) -> int:
        self.series[prefix] = self.series.get(prefix, 0) + 1
        return self.series[prefix]
