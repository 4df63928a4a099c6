"""Metakocka catalogue products and Odoo products: what each side holds, in one comparable shape.

Functions here read records and return plain data; they never call Metakocka or write anything.

Both sides are brought to a *shared state* (code, name, barcode, unit of measure, service, sales
price, active). A link's fingerprint is the hash of the shared state last pulled or pushed, so that
a pull of what a push sent, or a push of what a pull wrote, finds nothing to do (no echo).
"""

from dataclasses import dataclass

from ..metakocka_api.values import as_list, as_object, format_bool, format_number, parse_amount, parse_bool
from ..metakocka_api.values import parse_id, parse_text
from .fingerprint import fingerprint

#: Empty values do not clear a field in product_update; this does (text fields only).
REMOVE_VALUE = "$REMOVE_STRING_VALUE$"

#: Metakocka's unit register (its common entries) → the XML id of Odoo's unit of measure.
UNIT_UOMS = {
    "kos": "uom.product_uom_unit", "kom": "uom.product_uom_unit", "kpl": "uom.product_uom_unit",
    "ks": "uom.product_uom_unit", "pcs": "uom.product_uom_unit",
    "kg": "uom.product_uom_kgm", "g": "uom.product_uom_gram", "t": "uom.product_uom_ton",
    "m": "uom.product_uom_meter", "cm": "uom.product_uom_cm", "mm": "uom.product_uom_millimeter",
    "km": "uom.product_uom_km", "m2": "uom.uom_square_meter", "m3": "uom.product_uom_cubic_meter",
    "l": "uom.product_uom_litre", "ura": "uom.product_uom_hour", "h": "uom.product_uom_hour",
    "dan": "uom.product_uom_day",
}
#: Odoo's unit of measure → the unit a push sends (the first Metakocka unit of each).
UOM_UNITS = {}
for _unit, _xmlid in UNIT_UOMS.items():
    UOM_UNITS.setdefault(_xmlid, _unit)


class ProductRowProblem(ValueError):
    """A catalogue row that cannot be read: names the product code and the field."""

    def __init__(self, code, field, message):
        super().__init__(f"{code or '?'}: {field}: {message}")
        self.code, self.field = code, field


@dataclass
class RemoteProduct:
    mk_id: str
    count_code: str
    code: str
    name: str
    barcode: str
    unit: str
    service: bool
    price: object  # Decimal or None (no sales price list)
    active: bool


def read_remote(row):
    """A product_list row as a :class:`RemoteProduct`; raises :class:`ProductRowProblem`."""
    if not isinstance(row, dict):
        raise ProductRowProblem(None, "product", f"not a product: {repr(row)[:60]}")
    code = _field(row, "code", parse_text, "")
    values = {field: _field(row, field, parse_text, code) for field in ("count_code", "name", "barcode", "unit")}
    values["mk_id"] = _field(row, "mk_id", parse_id, code)
    if not values["mk_id"]:
        raise ProductRowProblem(code, "mk_id", "the product has no Metakocka id")
    if not values["name"]:
        raise ProductRowProblem(code, "name", "the product has no name")
    values["service"] = bool(_field(row, "service", parse_bool, code))
    active = _field(row, "activated", parse_bool, code)
    values["active"] = True if active is None else active
    values["price"] = _price(row, code)
    return RemoteProduct(code=code, **values)


def _field(row, field, parse, code):
    try:
        return parse(row.get(field))
    except ValueError as exc:
        raise ProductRowProblem(code, field, str(exc)) from None


def _price(row, code):
    """The net price of the first sales price list (``None`` without one)."""
    try:
        pricelists = [as_object(entry) for entry in as_list(row.get("pricelist"))]
        sales = [entry for entry in pricelists if entry.get("sales_purchase") in (None, "", "sales")]
        for pricelist in sales[:1]:
            for price_def in [as_object(entry) for entry in as_list(pricelist.get("price_def"))][:1]:
                return parse_amount(price_def.get("price"))
    except (ValueError, TypeError) as exc:
        raise ProductRowProblem(code, "price", str(exc)) from None
    return None


def unit_uom(env, unit):
    """Odoo's unit of measure for a Metakocka unit, or an empty record when there is none."""
    xmlid = UNIT_UOMS.get((unit or "").strip().lower())
    return (env.ref(xmlid, raise_if_not_found=False) if xmlid else None) or env["uom.uom"]


def uom_unit(uom):
    """The Metakocka unit of an Odoo unit of measure, or ``None`` when none is known."""
    xmlid = uom.get_external_id().get(uom.id) if uom else None
    return UOM_UNITS.get(xmlid)


def price_text(product, price):
    digits = product.env["decimal.precision"].precision_get("Product Price")
    return format_number(price or 0, digits)


def odoo_state(product):
    """The shared state of an Odoo product."""
    return {
        "code": product.default_code or "", "name": product.name or "", "barcode": product.barcode or "",
        "uom": product.uom_id.id, "service": product.type == "service",
        "price": price_text(product, product.list_price), "active": product.active,
    }


def remote_state(product, remote, uom):
    """The shared state of a Metakocka product, with ``uom`` its Odoo unit; a missing price keeps Odoo's."""
    price = product.list_price if remote.price is None else remote.price
    return {
        "code": remote.code, "name": remote.name, "barcode": remote.barcode, "uom": uom.id,
        "service": remote.service, "price": price_text(product, price), "active": remote.active,
    }


def state_fingerprint(state):
    return fingerprint(state)


def odoo_changes(product, state):
    """The product values that make ``product`` hold ``state``; empty when it holds it already."""
    current = odoo_state(product)
    changes = {}
    simple = {"code": "default_code", "name": "name", "barcode": "barcode", "active": "active"}
    for key, field in simple.items():
        if current[key] != state[key]:
            changes[field] = state[key] or (False if key in ("code", "barcode") else state[key])
    if current["uom"] != state["uom"]:
        changes.update(uom_id=state["uom"], uom_po_id=state["uom"])
    if current["service"] != state["service"]:
        changes["type"] = "service" if state["service"] else "consu"
    if current["price"] != state["price"]:
        changes["list_price"] = float(state["price"])
    return changes


def new_product_values(env, state, company_id):
    """The values of an Odoo product created for a Metakocka product."""
    values = {"name": state["name"], "type": "service" if state["service"] else "consu",
              "list_price": float(state["price"]), "active": state["active"], "company_id": company_id,
              "default_code": state["code"] or False, "barcode": state["barcode"] or False}
    if state["uom"]:
        values.update(uom_id=state["uom"], uom_po_id=state["uom"])
    return values


def update_payload(link, product):
    """The body of product_update that makes the linked Metakocka product hold ``product``'s state.

    The unit is the one Metakocka had while the product kept the unit of measure it had then; a unit
    of measure Metakocka has no unit for is not sent (Metakocka keeps its own)."""
    unit = link.mk_unit if link.mk_unit and product.uom_id == link.mk_uom_id else uom_unit(product.uom_id)
    payload = {
        "mk_id": link.mk_id, "code": product.default_code or "", "name": product.name,
        "barcode": product.barcode or REMOVE_VALUE, "service": format_bool(product.type == "service"),
        "confirm_save_change_product_service": "true", "activated": format_bool(product.active),
        "pricelist": [{"price_def": [{"price": price_text(product, product.list_price)}]}],
    }
    if unit:
        payload["unit"] = unit
    return {key: value for key, value in payload.items() if value != ""}
