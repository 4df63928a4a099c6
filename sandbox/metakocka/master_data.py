"""A company's register at scale, for benchmarks and the chaos suite: many partners, products and stock.

:func:`seed_master_data` adds generated partners (companies with a VAT number, people without one;
every tenth with a delivery address) and products (every fifth a service; stock in the main
warehouse, some in the shop, every seventh kept on two microlocations), as Metakocka users would
have entered them. Names, codes and amounts follow from the running number, so two runs make the
same register. Nothing is recorded and no fault applies.
"""

from __future__ import annotations

from typing import Any

from .partners import new_partner
from .products import new_product
from .seed import MAIN, SHOP
from .state import Store
from .stock import set_microlocations


def seed_master_data(store: Store, partners: int = 0, products: int = 0, prefix: str = "GEN") -> dict[str, int]:
    """Add ``partners`` partners and ``products`` products (codes ``<prefix>-00001`` …) with their stock."""
    with store.write() as data:
        for number in range(1, partners + 1):
            partner = new_partner(store, _partner_fields(number, prefix))
            data["partners"][partner["mk_id"]] = partner
        for number in range(1, products + 1):
            product = new_product(store, data, _product_fields(number, prefix))
            data["products"][product["mk_id"]] = product
            if not product["service"]:
                _stock(data, product["mk_id"], number)
    return {"partners": partners, "products": products}


def _partner_fields(number: int, prefix: str) -> dict[str, Any]:
    company = number % 3 != 0
    name = f"{prefix} Stranka {number:05d} d.o.o." if company else f"{prefix} Oseba {number:05d}"
    fields = {
        "customer": name, "business_entity": str(company).lower(), "taxpayer": str(company).lower(),
        "tax_id_number": f"SI{70000000 + number}" if company else None,
        "street": f"Cesta {number % 97 + 1}", "post_number": str(1000 + number % 9000),
        "place": ("Ljubljana", "Maribor", "Celje", "Koper")[number % 4], "country": "Slovenija",
        "partner_contact": {"name": name, "email": f"{prefix.lower()}.{number:05d}@stranke.example",
                            "phone": f"01 {number:06d}"},
    }
    if number % 10 == 0:
        fields["partner_delivery_address"] = {"address_type": "Dobava", "street": f"Skladiščna {number % 50 + 1}",
                                              "post_number": "1000", "city": "Ljubljana", "country": "Slovenija"}
    return fields


def _product_fields(number: int, prefix: str) -> dict[str, Any]:
    service = number % 5 == 0
    return {
        "code": f"{prefix}-{number:05d}", "name": f"{prefix} izdelek {number:05d}",
        "unit": "ura" if service else ("kg", "kos", "kos", "l")[number % 4],
        "barcode": None if service else f"383{number:010d}", "service": str(service).lower(),
        "pricelist": [{"price_def": [{"price": f"{number % 200 + 1}.{number % 100:02d}", "tax": "220"}]}],
    }


def _stock(data: dict[str, Any], product_id: str, number: int) -> None:
    amounts = {MAIN: str(number % 40 + 1)}
    if number % 3 == 0:
        amounts[SHOP] = str(number % 7)
    data["stock"][product_id] = amounts
    if number % 7 == 0:
        main = int(amounts[MAIN])
        set_microlocations(data, product_id, MAIN, {"A1": str(main // 2), "B2": str(main - main // 2)})
