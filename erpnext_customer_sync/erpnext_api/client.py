"""The ERPNext calls the customer sync uses, on top of :class:`.transport.ERPNextTransport`.

Methods take and return ERPNext's own JSON shapes (dicts). Missing keys in single-document answers
mean ``None`` (Frappe leaves nulls out). Lists are paged by ``modified asc, name asc`` with ``>=``
on the cursor, so rows sharing a timestamp are never lost, and rows already seen are dropped.
"""

import json
import threading
from dataclasses import dataclass

from .errors import NotFoundError
from .transport import ERPNextTransport, method_path, resource_path

#: Rows per list request when paging.
DEFAULT_PAGE_SIZE = 500
#: Names per ``name in [...]`` request.
NAMES_PER_REQUEST = 200
#: Longer query strings go as a POST to ``frappe.client.get_list`` (proxies refuse long URLs).
MAX_GET_URL = 2000

CUSTOMER_FIELDS = (
    "name", "customer_name", "customer_type", "customer_group", "territory", "tax_id", "customer_details",
    "payment_terms", "disabled", "customer_primary_contact", "customer_primary_address", "email_id",
    "mobile_no", "modified",
)
CONTACT_FIELDS = (
    "name", "first_name", "middle_name", "last_name", "full_name", "company_name", "email_id", "phone",
    "mobile_no", "is_primary_contact", "modified",
)
ADDRESS_FIELDS = (
    "name", "address_title", "address_type", "address_line1", "address_line2", "city", "state", "pincode",
    "country", "is_primary_address", "modified",
)
#: The child-table column that tells which customer a Contact or Address belongs to.
LINKED_CUSTOMER = "`tabDynamic Link`.link_name as customer"
CUSTOMER_LINK_FILTER = ["Dynamic Link", "link_doctype", "=", "Customer"]


@dataclass(frozen=True)
class ConnectionInfo:
    user: str
    time_zone: str
    customers: int


class ERPNextClient:
    def __init__(self, base_url, api_key, api_secret, **transport_options):
        self.transport = ERPNextTransport(base_url, api_key, api_secret, **transport_options)

    def __repr__(self):
        return f"<ERPNextClient {self.transport.base_url}>"

    @property
    def base_url(self):
        return self.transport.base_url

    def close(self):
        self.transport.close()

    # -- connection -----------------------------------------------------------------------

    def get_logged_user(self):
        return self.transport.request("GET", method_path("frappe.auth.get_logged_user"))["message"]

    def get_time_zone(self):
        """The site's system time zone, in which every ``modified`` is written."""
        answer = self.transport.request("GET", method_path("frappe.client.get_time_zone"))["message"]
        return answer.get("time_zone") if isinstance(answer, dict) else answer

    def test_connection(self):
        """Who we are, the site's time zone, and how many customers we can see."""
        user = self.get_logged_user()
        return ConnectionInfo(user=user, time_zone=self.get_time_zone(), customers=self.get_count("Customer"))

    # -- generic resources ----------------------------------------------------------------

    def get_list(self, doctype, *, fields=("name",), filters=None, or_filters=None, order_by=None,
                 limit_start=0, limit_page_length=20):
        """One page of ``doctype`` rows. ``limit_page_length=0`` returns every row."""
        params = {"fields": json.dumps(list(fields)), "limit_start": int(limit_start),
                  "limit_page_length": int(limit_page_length)}
        if filters:
            params["filters"] = json.dumps(filters)
        if or_filters:
            params["or_filters"] = json.dumps(or_filters)
        if order_by:
            params["order_by"] = order_by
        path = resource_path(doctype)
        if self.transport.url_length(path, params) <= MAX_GET_URL:
            return self.transport.request("GET", path, params=params).get("data") or []
        body = {"doctype": doctype, **params}
        return self.transport.request("POST", method_path("frappe.client.get_list"), json=body,
                                      write=False).get("message") or []

    def get_count(self, doctype, filters=None):
        params = {"doctype": doctype}
        if filters:
            params["filters"] = json.dumps(filters)
        return int(self.transport.request("GET", method_path("frappe.client.get_count"), params=params)["message"])

    def get_doc(self, doctype, name):
        """The whole document with its child tables; :class:`NotFoundError` when there is none."""
        return self.transport.request("GET", resource_path(doctype, name))["data"]

    def find_doc(self, doctype, name):
        try:
            return self.get_doc(doctype, name)
        except NotFoundError:
            return None

    def insert(self, doctype, document):
        """Create a document; returns it as ERPNext stored it (its ``name`` may not be the one
        expected: a Customer named like an existing one becomes "Name - 1"). Never retried
        unless it surely did not arrive."""
        return self.transport.request("POST", resource_path(doctype), json=document)["data"]

    def update(self, doctype, name, changes, *, modified=None):
        """Change some fields (a child table given replaces the whole table). With ``modified``
        (the value last read), ERPNext refuses with :class:`TimestampMismatchError` when the
        document changed since."""
        body = dict(changes)
        if modified is not None:
            body["modified"] = modified
        return self.transport.request("PUT", resource_path(doctype, name), json=body)["data"]

    def delete(self, doctype, name):
        self.transport.request("DELETE", resource_path(doctype, name))

    # -- paging ---------------------------------------------------------------------------

    def pager(self, doctype, *, fields, filters=(), since=None, cursor_field="modified",
              page_size=DEFAULT_PAGE_SIZE, state=None):
        """A :class:`KeysetPager` over ``doctype``; ``state`` resumes one saved earlier."""
        return KeysetPager(self, doctype, fields=fields, filters=filters, since=since, cursor_field=cursor_field,
                           page_size=page_size, state=state)

    def iter_pages(self, doctype, *, fields, filters=(), since=None, cursor_field="modified",
                   page_size=DEFAULT_PAGE_SIZE):
        """Every row of ``doctype`` with ``cursor_field >= since``, oldest first, page by page
        (see :class:`KeysetPager`)."""
        pager = self.pager(doctype, fields=fields, filters=filters, since=since, cursor_field=cursor_field,
                           page_size=page_size)
        while not pager.done:
            page = pager.next_page()
            if page:
                yield page

    def get_many(self, doctype, names, *, fields, extra_filters=()):
        """Rows of ``doctype`` whose name is in ``names``, as {name: row}; missing names are absent."""
        wanted = list(dict.fromkeys(name for name in names if name))
        found = {}
        for start in range(0, len(wanted), NAMES_PER_REQUEST):
            chunk = wanted[start:start + NAMES_PER_REQUEST]
            rows = self.get_list(doctype, fields=list(dict.fromkeys(["name", *fields])), limit_page_length=0,
                                 filters=[["name", "in", chunk], *extra_filters])
            found.update((row["name"], row) for row in rows)
        return found

    # -- customers --------------------------------------------------------------------------

    def iter_customer_pages(self, since=None, *, page_size=DEFAULT_PAGE_SIZE, fields=CUSTOMER_FIELDS):
        return self.iter_pages("Customer", fields=fields, since=since, page_size=page_size)

    def customers(self, names, *, fields=CUSTOMER_FIELDS):
        return self.get_many("Customer", names, fields=fields)

    def contacts(self, names, *, fields=CONTACT_FIELDS):
        return self.get_many("Contact", names, fields=fields)

    def addresses(self, names, *, fields=ADDRESS_FIELDS):
        return self.get_many("Address", names, fields=fields)

    def credit_limits(self, customer_names, company):
        """{customer name: credit limit} of ``company``'s row in each customer's ``credit_limits``."""
        limits = {}
        wanted = list(dict.fromkeys(customer_names))
        for start in range(0, len(wanted), NAMES_PER_REQUEST):
            rows = self.get_list(
                "Customer", fields=["name", "`tabCustomer Credit Limit`.credit_limit as credit_limit"],
                filters=[["name", "in", wanted[start:start + NAMES_PER_REQUEST]],
                         ["Customer Credit Limit", "company", "=", company]],
                limit_page_length=0)
            limits.update((row["name"], float(row.get("credit_limit") or 0.0)) for row in rows)
        return limits

    def iter_linked_changes(self, doctype, since=None, *, page_size=DEFAULT_PAGE_SIZE):
        """Contacts or Addresses linked to a Customer and changed since ``since``: rows with
        ``name``, ``modified`` and ``customer`` (one row per linked customer)."""
        return self.iter_pages(doctype, fields=["name", "modified", LINKED_CUSTOMER], filters=[CUSTOMER_LINK_FILTER],
                               since=since, page_size=page_size)

    def newest(self, doctype, *, field="modified", filters=None):
        """The largest ``field`` value of ``doctype`` (None when it has no rows)."""
        rows = self.get_list(doctype, fields=["name", field], filters=filters, order_by=f"{field} desc",
                             limit_page_length=1)
        return rows[0][field] if rows else None

    def iter_deleted_customers(self, since=None, *, page_size=DEFAULT_PAGE_SIZE):
        """``Deleted Document`` rows of Customers created since ``since`` (needs System Manager)."""
        return self.iter_pages("Deleted Document", fields=["name", "deleted_name", "creation"],
                               filters=[["deleted_doctype", "=", "Customer"]], since=since, cursor_field="creation",
                               page_size=page_size)

    def all_customer_names(self):
        return [row["name"] for row in self.get_list("Customer", fields=["name"], limit_page_length=0)]

    def find_customers(self, customer_name, *, created_since=None, owner=None):
        """Customers whose ``customer_name`` is exactly ``customer_name`` (their ``name`` may carry a
        " - N" suffix), optionally created since a site-local time and by ``owner``."""
        filters = [["customer_name", "=", customer_name]]
        if created_since:
            filters.append(["creation", ">=", created_since])
        if owner:
            filters.append(["owner", "=", owner])
        return self.get_list("Customer", fields=["name", "customer_name", "owner", "creation", "modified"],
                             filters=filters, order_by="creation asc, name asc", limit_page_length=0)

    def contacts_of(self, customer):
        """Contacts linked to ``customer`` (any of their links), primary first."""
        return self.get_list("Contact", fields=CONTACT_FIELDS, order_by="is_primary_contact desc, creation asc",
                             filters=[CUSTOMER_LINK_FILTER, ["Dynamic Link", "link_name", "=", customer]],
                             limit_page_length=0)

    def addresses_of(self, customer):
        return self.get_list("Address", fields=ADDRESS_FIELDS, order_by="is_primary_address desc, creation asc",
                             filters=[CUSTOMER_LINK_FILTER, ["Dynamic Link", "link_name", "=", customer]],
                             limit_page_length=0)

    def countries(self):
        """{ERPNext country name: lowercase ISO code (may be empty)}."""
        return {row["name"]: (row.get("code") or "").lower()
                for row in self.get_list("Country", fields=["name", "code"], limit_page_length=0)}

    def payment_terms_templates(self):
        return {row["name"] for row in self.get_list("Payment Terms Template", fields=["name"], limit_page_length=0)}


class KeysetPager:
    """Pages through ``doctype`` by ``cursor_field asc, name asc``, resumably.

    Each request starts at the newest value seen so far with ``>=`` (rows sharing that value are
    not lost) and rows already yielded are dropped. A row changed while we page moves to the end
    and comes again with its new value. A run of rows sharing one value longer than a page is
    walked by name, then paging goes on strictly after it. :attr:`state` is JSON-ready: save it
    and pass it back to continue in another process.
    """

    def __init__(self, client, doctype, *, fields, filters=(), since=None, cursor_field="modified",
                 page_size=DEFAULT_PAGE_SIZE, state=None):
        self.client = client
        self.doctype = doctype
        self.fields = list(dict.fromkeys([*fields, "name", cursor_field]))
        self.filters = [list(item) for item in filters]
        self.cursor_field = cursor_field
        self.page_size = page_size
        self.state = dict(state) if state else {"lower": since, "strict": False, "seen": [], "tie_after": None,
                                                  "done": False}

    @property
    def done(self):
        return self.state["done"]

    @property
    def position(self):
        """The newest cursor value reached so far (None before the first row)."""
        return self.state["lower"]

    def next_page(self):
        """The next rows not yielded before (possibly none while not :attr:`done`)."""
        state, field = self.state, self.cursor_field
        if state["done"]:
            return []
        seen = set(state["seen"])
        if state["tie_after"] is not None:
            rows = self.client.get_list(self.doctype, fields=self.fields, order_by="name asc",
                                        limit_page_length=self.page_size, filters=[
                                            *self.filters, [field, "=", state["lower"]],
                                            ["name", ">", state["tie_after"]]])
            fresh = [row for row in rows if _row_key(row) not in seen]
            if len(rows) < self.page_size:
                state.update(tie_after=None, strict=True, seen=[])
            else:
                state.update(tie_after=rows[-1]["name"], seen=sorted(seen | {_row_key(row) for row in rows}))
            return fresh
        lower = state["lower"]
        bound = [[field, ">" if state["strict"] else ">=", lower]] if lower else []
        rows = self.client.get_list(self.doctype, fields=self.fields, filters=[*self.filters, *bound],
                                    order_by=f"{field} asc, name asc", limit_page_length=self.page_size)
        fresh = [row for row in rows if _row_key(row) not in seen]
        if len(rows) < self.page_size:
            if rows:
                state["lower"] = rows[-1][field]
            state.update(done=True, seen=[])
            return fresh
        top = rows[-1][field]
        if not state["strict"] and top == lower:
            # A full page sharing the lower bound: walk it by name, then go on past it.
            state.update(tie_after=rows[-1]["name"], seen=sorted(seen | {_row_key(row) for row in rows}))
            return fresh
        keep = seen if top == lower else set()
        state.update(lower=top, strict=False, seen=sorted(keep | {_row_key(row) for row in rows if row[field] == top}))
        return fresh


def _row_key(row):
    return json.dumps(row, sort_keys=True, default=str)


# One client (so one connection pool) per ERPNext site and key in a process.
_clients = {}
_clients_guard = threading.Lock()


def get_client(base_url, api_key, api_secret, **transport_options):
    """The shared client of an ERPNext site and API key, made anew when the secret changed."""
    key = (base_url, api_key, tuple(sorted(transport_options.items())))
    with _clients_guard:
        client = _clients.get(key)
        if client is None or not client.transport.has_secret(api_secret):
            if client is not None:
                client.close()
            client = _clients[key] = ERPNextClient(base_url, api_key, api_secret, **transport_options)
        return client
