"""Documents for the demo: a few Metakocka orders, offers and bills that are not in Odoo yet.

They are sent through the simulator's own HTTP API, as any client would, so that numbering, sums
and stock reservations come out exactly as for documents the connector sends.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

# Seeded partners (see seed.py): a Ljubljana café, a private person, an Austrian importer.
KAVARNA = {"mk_id": "1600000201", "mk_address_id": "1600000202"}
KRANJC = {"mk_id": "1600000211", "mk_address_id": "1600000212"}
ALPEN = {"mk_id": "1600000221", "mk_address_id": "1600000222"}

DOCUMENTS: list[dict[str, Any]] = [
    {"doc_type": "sales_order", "doc_date": "03.11.2026", "buyer_order": "SPLET-1041", "partner": KAVARNA,
     "warehouse": "glavno", "title": "Spletno naročilo 1041",
     "product_list": [{"code": "KAVA-500", "amount": "12", "price": "12.29", "discount": "10", "tax": "095"},
                      {"code": "SKODELICA", "amount": "24", "price": "8.20", "tax": "220"}]},
    {"doc_type": "sales_order", "doc_date": "10.11.2026", "buyer_order": "SPLET-1042", "partner": KRANJC,
     "warehouse": "glavno", "title": "Spletno naročilo 1042",
     "product_list": [{"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4"},
                      {"code": "delivery_service", "amount": "1", "price": "4.10", "tax": "EX4"}]},
    {"doc_type": "sales_order", "doc_date": "17.11.2026", "buyer_order": "SPLET-1043", "partner": ALPEN,
     "warehouse": "trgovina", "title": "Bestellung 1043",
     "product_list": [{"code": "KAVA-1000", "amount": "20", "price": "22.80", "discount": "5", "tax": "095"}]},
    {"doc_type": "sales_offer", "doc_date": "12.11.2026", "buyer_order": "PON-KAVARNA-7", "partner": KAVARNA,
     "title": "Ponudba za opremo lokala",
     "product_list": [{"code": "MLIN-01", "amount": "2", "price": "32.70", "discount": "8", "tax": "EX4"},
                      {"code": "TERMOS", "amount": "4", "price": "16.39", "tax": "EX4"}]},
    {"doc_type": "sales_offer", "doc_date": "19.11.2026", "buyer_order": "PON-ALPEN-2", "partner": ALPEN,
     "title": "Angebot Tee",
     "product_list": [{"code": "CAJ-ZELENI", "amount": "5", "price": "31.96", "tax": "095"}]},
    {"doc_type": "sales_bill_domestic", "doc_date": "05.11.2026", "buyer_order": "SPLET-1039", "partner": KAVARNA,
     "product_list": [{"code": "KAVA-500", "amount": "6", "price": "12.29", "tax": "095"}]},
    {"doc_type": "sales_bill_foreign", "doc_date": "14.11.2026", "buyer_order": "EXPORT-88", "partner": ALPEN,
     "product_list": [{"code": "KAVA-1000", "amount": "10", "price": "22.80", "tax": "000"}]},
]


def add_demo_documents(base_url: str, company_id: str, secret_key: str) -> list[str]:
    """Send the demo documents; returns their Metakocka numbers."""
    numbers = []
    for document in DOCUMENTS:
        body = json.dumps({**document, "company_id": company_id, "secret_key": secret_key}).encode()
        request = urllib.request.Request(f"{base_url}/rest/eshop/v1/put_document", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.load(response)
        if answer.get("opr_code") != "0":
            raise RuntimeError(f"the demo document {document['buyer_order']} was refused: {answer.get('opr_desc')}")
        numbers.append(answer["count_code"])
    return numbers
