"""Is there stock for an order before it is first sent to Metakocka?

Only storable products are checked (services, consumables and kits are not). Free stock is read
from the company's stock master, in the order's warehouse:

* Odoo: the product's free quantity in the warehouse, plus what this order has reserved itself
  (its own reservation is not a shortage);
* Metakocka: ``free_amount`` from one ``warehouse_stock`` call for all the order's products, its rows
  (one per microlocation, lot, serial) summed per product, in the Metakocka warehouse the order's
  warehouse is mapped to (or Metakocka's main warehouse).
"""

from collections import defaultdict
from dataclasses import dataclass

from odoo.tools import float_compare

from ..metakocka_api.values import parse_number


class StockCheckProblem(Exception):
    """The stock cannot be checked as it is: a mark Metakocka does not know, a stock row it cannot read."""


@dataclass(frozen=True)
class Shortage:
    product: object
    needed: float
    free: float


def shortages(service, order):
    """The order's products short of stock (``service`` is the :class:`~.document_push.DocumentPusher`)."""
    needed = needed_quantities(order)
    if not needed:
        return []
    if service.company.metakocka_stock_master == "metakocka":
        free = metakocka_free(service, order, needed)
    else:
        free = odoo_free(order, needed)
    return [Shortage(product, quantity, free.get(product, 0.0))
            for product, quantity in needed.items()
            if float_compare(free.get(product, 0.0), quantity, precision_rounding=product.uom_id.rounding) < 0]


def needed_quantities(order):
    """{product: quantity in the product's unit} of the order's checked lines."""
    needed = defaultdict(float)
    for line in order.order_line:
        product = line.product_id
        if line.display_type or not product or not product.is_storable or getattr(product, "is_kits", False):
            continue
        needed[product] += line.product_uom._compute_quantity(line.product_uom_qty, product.uom_id)
    return dict(needed)


def odoo_free(order, products):
    """{product: free quantity in the order's warehouse, this order's own reservation added back}."""
    free = {product: product.with_context(warehouse_id=order.warehouse_id.id).free_qty for product in products}
    for line in order.order_line.filtered(lambda line: line.product_id in products):
        free[line.product_id] += line.product_uom._compute_quantity(line.metakocka_reserved_qty,
                                                                    line.product_id.uom_id)
    return free


def metakocka_free(service, order, products):
    """{product: Metakocka's free amount in the order's Metakocka warehouse}."""
    warehouse_id = metakocka_warehouse_id(service, order)
    by_code = {product.default_code: product for product in products if product.default_code}
    rows = service.client.warehouse_stock(warehouse_ids=[warehouse_id] if warehouse_id else None,
                                          product_codes=sorted(by_code))
    free = defaultdict(float)
    for row in rows:
        product = by_code.get(row.get("code")) if isinstance(row, dict) else None
        if product and (not warehouse_id or str(row.get("warehouse_id")) == str(warehouse_id)):
            free[product] += _free_amount(order, product, row)
    return dict(free)


def _free_amount(order, product, row):
    try:
        return float(parse_number(row.get("free_amount") or row.get("amount")) or 0)
    except ValueError as exc:
        raise StockCheckProblem(order.env._("Metakocka's stock of %(product)s cannot be read: free_amount: %(error)s",
                                            product=product.display_name, error=exc)) from None


def metakocka_warehouse_id(service, order):
    """The Metakocka id of the warehouse the order's warehouse is mapped to, else of the main one."""
    env = order.env
    mark = env["metakocka.warehouse.map"]._mark_for(order.warehouse_id)
    warehouses = service.warehouses
    if mark:
        found = next((warehouse for warehouse in warehouses if warehouse.get("mark") == mark), None)
        if not found:
            raise StockCheckProblem(env._(
                "Metakocka has no warehouse with the mark %(mark)s, which Settings → Metakocka → Warehouses gives "
                "to %(warehouse)s.", mark=mark, warehouse=order.warehouse_id.display_name))
        return found.get("mk_id")
    main = [warehouse for warehouse in warehouses if str(warehouse.get("main_warehouse")).lower() == "true"]
    return (main or warehouses)[0].get("mk_id") if (main or warehouses) else None


def describe(env, record, found):
    """ "Not enough stock" with each product, needed and free."""
    products = [env._("%(product)s needs %(needed)s %(unit)s, %(free)s free", product=shortage.product.display_name,
                      needed=_quantity(shortage.needed), free=_quantity(shortage.free),
                      unit=shortage.product.uom_id.name)
                for shortage in found]
    return env._("Not enough stock for %(record)s: %(products)s.", record=record.display_name,
                 products="; ".join(products))


def _quantity(value):
    return f"{value:g}"
