"""The sandbox company's initial data: registers, warehouses, a few partners and products.

Seeded records have fixed mk_ids (16000001xx-16000003xx); new records get ids from
1600100001 upwards.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_API_USER = "api@sandbox.example"

TAXES = {"EX4": "0.22", "220": "0.22", "095": "0.095", "EX2": "0.095", "000": "0"}

# [Vrednost (display value), Opis (the code API calls use)]
ORDER_STATUSES = [
    ["Pavziran", "paused"], ["Odpremljen", "shipped"], ["Novo", "created"],
    ["Pripravljen za odpremo", "ready_to_ship"], ["Zaključena", "completed"], ["Brisan", "manually_closed"],
    ["Duplikat", "duplicate"], ["Preklican", "canceled"], ["Vračilo paketa", "package_returned"],
    ["Draft", "draft"], ["Novo naročilo", "new_order"], ["Izgubljen", "lost"], ["Poškodovan", "damaged"],
]
OFFER_STATUSES = [["Odprta", "open"], ["Sprejeta", "accepted"], ["Zavrnjena", "rejected"]]
BILL_STATUSES = [["Izdelan", "created"]]
WAREHOUSE_STATUSES = [["aktiven", "aktiven"], ["delno_aktiven", "delno_aktiven"], ["Odpremljen", "shipped"]]
STATUS_REGISTERS = {"sales_order": ORDER_STATUSES, "sales_offer": OFFER_STATUSES, "sales_bill": BILL_STATUSES,
                    "warehouse": WAREHOUSE_STATUSES}

PAYMENT_TYPES = [
    {"value": "Transakcijski račun", "fiscal": False},
    {"value": "Gotovina", "fiscal": True},
    {"value": "PayPal", "fiscal": False},
    {"value": "Kartica", "fiscal": True},
    {"value": "Po povzetju", "fiscal": False},
]

PROFIT_CENTERS = [{"code": "SPLET", "desc": "Spletna prodaja"}, {"code": "TRGOVINA", "desc": "Trgovina Maribor"}]

WAREHOUSES = [
    {"mk_id": "1600000101", "mark": "glavno", "name": "Glavno skladišče", "main_warehouse": True,
     "street": "Tržaška cesta 2", "post": "1000", "place": "Ljubljana", "country": "SI", "active": True,
     "show_product_free_stock": True},
    {"mk_id": "1600000102", "mark": "trgovina", "name": "Trgovina Maribor", "main_warehouse": False,
     "street": "Partizanska cesta 5", "post": "2000", "place": "Maribor", "country": "SI", "active": True,
     "show_product_free_stock": True},
]
MAIN, SHOP = (w["mk_id"] for w in WAREHOUSES)


def _partner(mk_id: int, count_code: str, customer: str, flags: tuple[bool, bool, bool], tax_id: str | None,
             registration: str | None, address: dict[str, str], contact: dict[str, str]) -> dict[str, Any]:
    business_entity, taxpayer, foreign = flags
    return {
        "mk_id": str(mk_id), "count_code": count_code, "customer": customer,
        "business_entity": business_entity, "taxpayer": taxpayer, "foreign_county": foreign,
        "buyer": True, "supplier": False, "tax_id_number": tax_id, "registration_number": registration,
        "addresses": [{"mk_id": str(mk_id + 1), "address_type": "Račun", "street_number": None, "province": None,
                       **address}],
        "contacts": [{"mk_id": str(mk_id + 2), "mk_address_id": str(mk_id + 1), "fax": None,
                      **{"email": None, "phone": None, "gsm": None, **contact}}],
    }


PARTNERS = [
    _partner(1600000201, "1000", "Kavarna Novak d.o.o.", (True, True, False), "SI24681357", "8123456000",
             {"street": "Trubarjeva cesta 12", "post_number": "1000", "city": "Ljubljana", "country": "Slovenija"},
             {"name": "Ana Novak", "email": "ana.novak@kavarna-novak.example", "phone": "01 234 56 78"}),
    _partner(1600000211, "1001", "Janez Kranjc", (False, False, False), None, None,
             {"street": "Gosposka ulica 7", "post_number": "2000", "city": "Maribor", "country": "Slovenija"},
             {"name": "Janez Kranjc", "email": "janez.kranjc@example.si", "gsm": "041 555 123"}),
    _partner(1600000221, "1002", "Alpen Kaffee GmbH", (True, True, True), "ATU12345678", "FN 123456a",
             {"street": "Herrengasse 5", "post_number": "8010", "city": "Graz", "country": "Austria"},
             {"name": "Lukas Gruber", "email": "lukas.gruber@alpen-kaffee.example", "phone": "+43 316 123456"}),
]


def _product(mk_id: int, code: str, name: str, unit: str, tax: str, price: str, **extra: Any) -> dict[str, Any]:
    product = {
        "mk_id": str(mk_id), "count_code": f"PA-{mk_id - 1600000300 + 1000}", "code": code, "barcode": None,
        "name": name, "name_desc": None, "unit": unit, "unit2": None, "customs_fee": None, "country": None,
        "height": None, "width": None, "depth": None, "weight": None, "gross_weight": None, "unit_factor": None,
        "min_stock": None, "service": False, "sales": True, "purchasing": True, "activated": True,
        "eshop_sync": True, "work": False, "price": price, "tax": tax,
    }
    product.update(extra)
    return product


PRODUCTS = [
    _product(1600000301, "KAVA-500", "Kava v zrnu, 500 g", "kos", "095", "12.29", weight="0.5",
             unit2="kg", unit_factor="0.5", barcode="3830012340017", country="SI"),
    _product(1600000302, "KAVA-1000", "Kava v zrnu, 1 kg", "kos", "095", "22.80", weight="1"),
    _product(1600000303, "MLIN-01", "Ročni mlinček za kavo", "kos", "EX4", "32.70", weight="0.35",
             barcode="3830012340031", name_desc="Keramični mlevni mehanizem, nastavljiva debelina mletja."),
    _product(1600000304, "SKODELICA", "Keramična skodelica 200 ml", "kos", "220", "8.20", weight="0.25"),
    _product(1600000305, "CAJ-ZELENI", "Zeleni čaj, rinfuza", "kg", "095", "31.96"),
    _product(1600000306, "TERMOS", "Termovka 0,5 l", "kos", "EX4", "16.39", weight="0.4"),
    _product(1600000307, "delivery_service", "Poštnina", "kos", "EX4", "4.10", service=True, purchasing=False),
]

STOCK = {
    "1600000301": {MAIN: "120", SHOP: "30"},
    "1600000302": {MAIN: "40"},
    "1600000303": {MAIN: "15", SHOP: "4"},
    "1600000304": {MAIN: "200", SHOP: "50"},
    "1600000305": {MAIN: "2.5"},
}


def initial_data(api_user_email: str = DEFAULT_API_USER, sample_data: bool = True) -> dict[str, Any]:
    """A fresh company. Without ``sample_data`` it has its registers and warehouses but no
    partners, products or stock."""
    return copy.deepcopy({
        "next_id": 1600100000,
        "sequences": {"partner": 1002, "product": 1007} if sample_data else {},
        "users": [api_user_email],
        "taxes": TAXES,
        "statuses": STATUS_REGISTERS,
        "payment_types": PAYMENT_TYPES,
        "profit_centers": PROFIT_CENTERS,
        "warehouses": WAREHOUSES,
        "partners": {p["mk_id"]: p for p in PARTNERS} if sample_data else {},
        "products": {p["mk_id"]: p for p in PRODUCTS} if sample_data else {},
        "stock": STOCK if sample_data else {},
        "documents": {},
    })


def add_missing_registers(data: dict[str, Any], api_user_email: str) -> None:
    """Bring a state file of an older run up to date: the API user and every status register."""
    if api_user_email.lower() not in (user.lower() for user in data["users"]):
        data["users"].append(api_user_email)
    for family, register in STATUS_REGISTERS.items():
        data["statuses"].setdefault(family, copy.deepcopy(register))
