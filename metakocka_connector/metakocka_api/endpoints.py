"""Where each Metakocka operation lives, and whether it changes data.

Metakocka serves its endpoints under three path families and answers an HTML 404 when an operation
is called under the wrong one, so the family is part of the operation, not the caller's choice.
"""

from dataclasses import dataclass

JSON_FAMILY = "/rest/eshop/v1/json/"
V1_FAMILY = "/rest/eshop/v1/"
ESHOP_FAMILY = "/rest/eshop/"


@dataclass(frozen=True)
class Endpoint:
    op: str
    family: str
    #: A write changes state on Metakocka's side: it is never re-sent unless it surely did not
    #: arrive.
    write: bool

    @property
    def path(self):
        return self.family + self.op


_ENDPOINTS = [
    Endpoint("put_document", V1_FAMILY, write=True),
    Endpoint("get_document", V1_FAMILY, write=False),
    Endpoint("update_document", V1_FAMILY, write=True),
    Endpoint("delete_document", V1_FAMILY, write=True),
    Endpoint("change_document_status", V1_FAMILY, write=True),
    Endpoint("put_transaction", V1_FAMILY, write=True),
    Endpoint("search", V1_FAMILY, write=False),
    Endpoint("get_partner", V1_FAMILY, write=False),
    Endpoint("add_partner", V1_FAMILY, write=True),
    Endpoint("update_partner", V1_FAMILY, write=True),
    Endpoint("product_list", JSON_FAMILY, write=False),
    Endpoint("product_add", JSON_FAMILY, write=True),
    Endpoint("product_update", JSON_FAMILY, write=True),
    Endpoint("product_delete", JSON_FAMILY, write=True),
    Endpoint("warehouse_list", JSON_FAMILY, write=False),
    Endpoint("warehouse_stock", JSON_FAMILY, write=False),
    Endpoint("sync_stock", ESHOP_FAMILY, write=True),
]

ENDPOINTS = {endpoint.op: endpoint for endpoint in _ENDPOINTS}


def endpoint(op):
    try:
        return ENDPOINTS[op]
    except KeyError:
        raise ValueError(f"unknown Metakocka operation {op!r}") from None
