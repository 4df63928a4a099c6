"""The Metakocka operations the connector uses, on top of :class:`.transport.MetakockaTransport`.

Methods take and return Metakocka's own JSON shapes (dicts of strings); :mod:`.values` converts
single values. Lists that Metakocka may return as a bare object are normalised to lists here.
"""

import threading

from .errors import NotFoundError
from .transport import MetakockaTransport
from .values import as_list

#: Metakocka's page limits.
SEARCH_PAGE_SIZE = 100
PRODUCT_PAGE_SIZE = 1000
PARTNER_PAGE_SIZE = 1000


class MetakockaClient:
    def __init__(self, base_url, company_id, secret_key, **transport_options):
        self.transport = MetakockaTransport(base_url, company_id, secret_key, **transport_options)

    def __repr__(self):
        return f"<MetakockaClient {self.transport.base_url} company {self.transport.company_id}>"

    @property
    def company_id(self):
        return self.transport.company_id

    def call(self, op, payload=None):
        return self.transport.call(op, payload)

    def close(self):
        self.transport.close()

    # -- connection -----------------------------------------------------------------------

    def test_connection(self):
        """One cheap authenticated call; returns the company's warehouses."""
        return self.warehouse_list()

    # -- documents ------------------------------------------------------------------------

    def put_document(self, document):
        """Insert a document, or replace it whole when ``document`` carries ``mk_id``."""
        return self.call("put_document", document)

    def get_document(self, doc_type, doc_id=None, *, buyer_order=None, **flags):
        """Read a document by its ``mk_id`` (sent as ``doc_id``), or a sales order by ``buyer_order``."""
        payload = {"doc_type": doc_type, **flags}
        if doc_id is not None:
            payload["doc_id"] = str(doc_id)
        if buyer_order is not None:
            payload["buyer_order"] = buyer_order
        return self.call("get_document", payload)

    def update_document(self, doc_type, changes):
        return self.call("update_document", {"doc_type": doc_type, **changes})

    def delete_document(self, doc_type, mk_id):
        return self.call("delete_document", {"doc_type": doc_type, "mk_id": str(mk_id)})

    def change_document_status(self, doc_type, status_code, *, mk_id=None, buyer_order=None):
        """Set a status by its description code ("Opis" in Metakocka's status register)."""
        payload = {"doc_type": doc_type, "status_code": status_code}
        if mk_id is not None:
            payload["mk_id"] = str(mk_id)
        if buyer_order is not None:
            payload["buyer_order"] = buyer_order
        return self.call("change_document_status", payload)

    def put_transaction(self, transaction):
        return self.call("put_transaction", transaction)

    def search(self, doc_type, *, query=None, query_advance=None, result_type=None,
               offset=0, limit=SEARCH_PAGE_SIZE, **flags):
        """One page of a document search (at most 100 records)."""
        payload = {"doc_type": doc_type, "offset": offset, "limit": min(limit, SEARCH_PAGE_SIZE), **flags}
        if query:
            payload["query"] = query
        if query_advance:
            payload["query_advance"] = [{"type": kind, "value": value} for kind, value in query_advance]
        if result_type:
            payload["result_type"] = result_type
        return self.call("search", payload)

    def iter_search(self, doc_type, *, page_size=SEARCH_PAGE_SIZE, **criteria):
        """Every record a search matches, page by page.

        ``criteria`` are those of :meth:`search`; ``query_advance`` is a list of (type, value) pairs.
        """
        offset = 0
        while True:
            page = self.search(doc_type, offset=offset, limit=page_size, **criteria)
            results = as_list(page.get("result"))
            yield from results
            offset += len(results)
            total = int(page.get("result_all_records") or 0)
            if not results or offset >= total or len(results) < min(page_size, SEARCH_PAGE_SIZE):
                return

    def find_sales_order(self, buyer_order):
        """The sales order whose ``buyer_order`` is ours, or ``None``."""
        try:
            return self.get_document("sales_order", buyer_order=buyer_order)
        except NotFoundError:
            return None

    def find_documents_by_buyer_order(self, doc_type, buyer_order):
        """Documents of any type whose ``buyer_order`` equals ours exactly (full documents)."""
        if doc_type == "sales_order":
            criteria = {"query_advance": [("customer_order", buyer_order)]}
        else:
            criteria = {"query": buyer_order}
        return [
            document
            for document in self.iter_search(doc_type, result_type="doc", **criteria)
            if document.get("buyer_order") == buyer_order
        ]

    # -- partners -------------------------------------------------------------------------

    def find_partners(self, *, tax_number=None, email=None, name=None, mk_id=None):
        """Partners matching the given filter; an empty list when there is none."""
        filters = {
            "partner_tax_number": tax_number,
            "partner_email": email,
            "partner_name": name,
            "partner_id": mk_id,
        }
        payload = {key: value for key, value in filters.items() if value}
        if not payload:
            raise ValueError("find_partners needs at least one filter")
        try:
            answer = self.call("get_partner", payload)
        except NotFoundError:
            return []
        return as_list(answer.get("partner_list"))

    def partner_page(self, *, offset=0, limit=PARTNER_PAGE_SIZE):
        """One page of the whole partner register: get_partner with no filter, ``limit``/``offset``.

        Metakocka does not document listing everybody; it pages as other clients do (1000 a page, no
        total). A page past the end is opr_code 2 "No partner with such properties.": the end of the
        register, so an empty list here, not an error.
        """
        try:
            answer = self.call("get_partner", {"offset": offset, "limit": min(limit, PARTNER_PAGE_SIZE)})
        except NotFoundError:
            return []
        return as_list(answer.get("partner_list"))

    def iter_partners(self, *, page_size=PARTNER_PAGE_SIZE):
        """Every partner of the register, page by page; a short (or empty) page is the last."""
        offset = 0
        page_size = min(page_size, PARTNER_PAGE_SIZE)
        while True:
            partners = self.partner_page(offset=offset, limit=page_size)
            yield from partners
            if len(partners) < page_size:
                return
            offset += len(partners)

    def add_partner(self, partner):
        """Create a partner; returns ``{mk_id, mk_contact_id, mk_address_id_list}``."""
        return self.call("add_partner", {"partner": partner})

    def update_partner(self, partner):
        return self.call("update_partner", {"partner": partner})

    # -- products -------------------------------------------------------------------------

    def product_list(self, *, offset=0, limit=PRODUCT_PAGE_SIZE, **filters):
        """One page of products; ``product_list`` is always a list in the answer."""
        answer = self.call("product_list", {"offset": offset, "limit": min(limit, PRODUCT_PAGE_SIZE), **filters})
        answer["product_list"] = as_list(answer.get("product_list"))
        return answer

    def iter_products(self, *, page_size=PRODUCT_PAGE_SIZE, **filters):
        """Every product matching ``filters``; Metakocka gives no total, so stop at a short page."""
        offset = 0
        page_size = min(page_size, PRODUCT_PAGE_SIZE)
        while True:
            products = self.product_list(offset=offset, limit=page_size, **filters)["product_list"]
            yield from products
            if len(products) < page_size:
                return
            offset += len(products)

    def find_product(self, code):
        """The product whose ``code`` (SKU) is exactly ``code``, or ``None``."""
        for product in self.product_list(code=code)["product_list"]:
            if product.get("code") == code:
                return product
        return None

    def product_add(self, product):
        return self.call("product_add", product)

    def product_update(self, product):
        return self.call("product_update", product)

    def product_delete(self, *, mk_id=None, count_code=None):
        payload = {"mk_id": mk_id} if mk_id else {"count_code": count_code}
        return self.call("product_delete", payload)

    # -- stock ----------------------------------------------------------------------------

    def warehouse_list(self):
        return as_list(self.call("warehouse_list").get("warehouse_list"))

    def warehouse_stock(self, *, warehouse_ids=None, product_codes=None, offset=0, limit=1000):
        payload = {"offset": offset, "limit": limit}
        if warehouse_ids:
            payload["wh_id_list"] = ",".join(str(mk_id) for mk_id in warehouse_ids)
        if product_codes:
            payload["product_code_list"] = ",".join(product_codes)
        return as_list(self.call("warehouse_stock", payload).get("stock_list"))

    def iter_warehouse_stock(self, *, warehouse_ids=None, product_codes=None, page_size=1000):
        """Every stock row matching the filters, page by page (offset/limit); a short page is the last."""
        offset = 0
        while True:
            rows = self.warehouse_stock(warehouse_ids=warehouse_ids, product_codes=product_codes,
                                        offset=offset, limit=page_size)
            yield from rows
            if len(rows) < page_size:
                return
            offset += len(rows)

    def sync_stock(self, api_user_email, stock_list):
        """Overwrite stock: products missing from ``stock_list`` lose theirs (Metakocka's rule)."""
        answer = self.call("sync_stock", {"api_user_email": api_user_email, "stock_list": stock_list})
        for key in ("stock_list", "stock_remove_list", "error_list"):
            answer[key] = as_list(answer.get(key))
        return answer


# One client (so one connection pool and one search lock) per Metakocka company in a process.
_clients = {}
_clients_guard = threading.Lock()


def get_client(base_url, company_id, secret_key, **transport_options):
    """The shared client of a Metakocka company, made anew when its settings changed."""
    key = (base_url, str(company_id), tuple(sorted(transport_options.items())))
    with _clients_guard:
        client = _clients.get(key)
        if client is None or not client.transport.has_secret(secret_key):
            if client is not None:
                client.close()
            client = _clients[key] = MetakockaClient(base_url, company_id, secret_key, **transport_options)
        return client
