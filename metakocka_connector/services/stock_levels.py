"""Stock levels, from the company's stock master to the other side, per mapped warehouse.

* Metakocka keeps the stock: ``warehouse_stock`` of the mapped warehouses (every page; the rows, one
  per microlocation, lot or serial, summed per product and warehouse) becomes Odoo's on-hand quantity
  in each Odoo warehouse, through Odoo's own inventory adjustment (a quant's ``inventory_quantity``,
  applied), so that the moves and the history are Odoo's. Only storable products count, matched by
  their link's Metakocka id, else by Internal Reference = Metakocka's ``code``. A product Metakocka
  knows (linked, or in the list) that a warehouse's rows lack has 0 there, and only because the whole
  list was read. An unchanged quantity is not written.
* Odoo keeps the stock: Odoo's on-hand quantities of each mapped warehouse go with ``sync_stock``,
  which replaces that warehouse's whole stock in Metakocka: a warehouse is sent whole or not at all,
  never empty, and each line Metakocka refuses (``error_list``) is a line of the sync log.
"""

from collections import defaultdict
from dataclasses import dataclass

from odoo.tools import float_is_zero, float_round

from ..metakocka_api.values import format_number, parse_amount
from .connection import CompanyService

#: Quantities one inventory adjustment applies (the scheduled action commits after each).
BATCH_SIZE = 100
#: Product codes one ``warehouse_stock`` call asks for.
CODES_PER_CALL = 100
#: Rows of one ``warehouse_stock`` page (Metakocka's default limit).
PAGE_SIZE = 1000


class StockLevelsProblem(Exception):
    """Stock levels cannot be moved as things are: a setting missing, a mark Metakocka lacks, a bad row."""


@dataclass(frozen=True)
class MappedWarehouse:
    warehouse: object  # stock.warehouse
    mk_id: str
    mark: str


class StockLevels(CompanyService):
    """Reads and writes the stock levels of one company (``env`` with the sync's rights)."""

    _mapped = None
    _by_mark = None

    @property
    def mapped_warehouses(self):
        """The company's mapped warehouses with their Metakocka ids (``warehouse_list`` read once)."""
        if self._mapped is None:
            rows = self.env["metakocka.warehouse.map"].sudo().search([("company_id", "=", self.company.id)])
            if not rows:
                raise StockLevelsProblem(self.env._(
                    "No Odoo warehouse of %(company)s is mapped to a Metakocka warehouse: map them in Settings → "
                    "Metakocka → Warehouses.", company=self.company.name))
            self._mapped = [self.mapped(row) for row in rows]
        return self._mapped

    def mapped(self, row):
        """The :class:`MappedWarehouse` of a ``metakocka.warehouse.map`` row (``warehouse_list`` read once)."""
        if self._by_mark is None:
            self._by_mark = {warehouse.get("mark"): warehouse for warehouse in self.client.warehouse_list()
                             if isinstance(warehouse, dict)}
        found = self._by_mark.get(row.mark)
        if not found or not found.get("mk_id"):
            raise StockLevelsProblem(self.env._(
                "Metakocka has no warehouse with the mark %(mark)s, which Settings → Metakocka → Warehouses "
                "gives to %(warehouse)s.", mark=row.mark, warehouse=row.warehouse_id.display_name))
        return MappedWarehouse(row.warehouse_id, str(found["mk_id"]), row.mark)

    # -- Metakocka → Odoo -------------------------------------------------------------------

    def metakocka_targets(self, codes=None, trusted=(), warehouses=None):
        """{(Odoo warehouse, product): Metakocka's amount} of the products Metakocka knows: every one, or
        those of ``codes``, in every mapped warehouse or in ``warehouses``. Known are linked products,
        products in Metakocka's rows, and those of the ``trusted`` codes (Metakocka's webhook named them):
        one of them without rows has no stock."""
        warehouses = warehouses or self.mapped_warehouses
        levels = self._read_metakocka(codes, warehouses)
        seen = {code for rows in levels.values() for _mk_id, code in rows if code}
        index = ProductIndex(self.env, self.company, seen | set(codes or ()))
        if codes is None:
            known = index.linked
        else:
            known = index.products_of(trusted) | (index.products_of(codes) & index.linked)
        found = {}
        for mapped in warehouses:
            here = found[mapped.mk_id] = defaultdict(float)
            for (mk_id, code), amount in levels.get(mapped.mk_id, {}).items():
                product = index.product(mk_id, code)
                if product:
                    here[product] += amount
                    known |= product
        return {(mapped.warehouse, product): found[mapped.mk_id].get(product, 0.0)
                for mapped in warehouses for product in known if product.tracking == "none"}

    def _read_metakocka(self, codes, warehouses):
        """{warehouse mk_id: {(product mk_id, code): amount}}, every page read, rows summed."""
        ids = [mapped.mk_id for mapped in warehouses]
        chunks = [None] if codes is None else [sorted(codes)[i:i + CODES_PER_CALL]
                                               for i in range(0, len(codes), CODES_PER_CALL)]
        levels = defaultdict(lambda: defaultdict(float))
        for chunk in chunks:
            if chunk == []:
                continue
            for row in self.client.iter_warehouse_stock(warehouse_ids=ids, product_codes=chunk,
                                                          page_size=PAGE_SIZE):
                warehouse_id = str(row.get("warehouse_id") or "") if isinstance(row, dict) else ""
                if warehouse_id in ids:
                    key = (str(row.get("mk_id") or ""), str(row.get("code") or ""))
                    levels[warehouse_id][key] += self._amount(row)
        return levels

    def _amount(self, row):
        try:
            return float(parse_amount(row.get("amount")) or 0)
        except ValueError as exc:
            raise StockLevelsProblem(self.env._("Metakocka's stock of %(code)s cannot be read: amount: %(error)s",
                                                code=row.get("code") or row.get("mk_id"), error=exc)) from None

    # -- Odoo → Metakocka -------------------------------------------------------------------

    def api_user_email(self):
        email = (self.company.sudo().metakocka_api_user_email or "").strip()
        if not email:
            raise StockLevelsProblem(self.env._(
                "Metakocka needs the email of one of its users to write stock: set the API user email in "
                "Settings → Metakocka → Stock levels."))
        return email

    def odoo_stock_list(self, mapped):
        """The ``sync_stock`` lines of one warehouse: every storable product Metakocka can know (an Internal
        Reference or a link) with stock in it, and the linked ones without."""
        index = ProductIndex(self.env, self.company, ())
        quants = self.env["stock.quant"].sudo()._read_group(
            [("location_id", "child_of", mapped.warehouse.view_location_id.id), ("location_id.usage", "=", "internal"),
             ("product_id.is_storable", "=", True)], ["product_id"], ["quantity:sum"])
        amounts = defaultdict(float)
        for product, quantity in quants:
            amounts[product] += quantity
        for product in index.linked:
            amounts.setdefault(product, 0.0)
        # One line per Metakocka product: Odoo products that share a code are added up.
        lines = {}
        for product, quantity in sorted(amounts.items(), key=lambda item: item[0].id):
            key = _product_key(product, index)
            if key:
                rounded = float_round(quantity, precision_rounding=product.uom_id.rounding)
                lines[key] = lines.get(key, 0.0) + rounded
        return [{"warehouse_id": mapped.mk_id, key[0]: key[1], "amount": format_number(round(amount, 6))}
                for key, amount in lines.items()]


def _product_key(product, index):
    """("product_code", its Internal Reference), else ("product_id", its link's Metakocka id), else None."""
    if product.default_code:
        return ("product_code", product.default_code)
    mk_id = index.mk_id_of(product)
    return ("product_id", mk_id) if mk_id else None


class ProductIndex:
    """The company's storable products as Metakocka knows them: by link (its Metakocka id), else by code."""

    def __init__(self, env, company, codes):
        links = env["metakocka.product.link"].sudo().search([("company_id", "=", company.id), ("mk_id", "!=", False)])
        links = links.filtered(lambda link: link.product_id.active and link.product_id.is_storable)
        self._by_mk_id = {link.mk_id: link.product_id for link in links}
        self._mk_ids = {link.product_id: link.mk_id for link in links}
        self.linked = links.product_id
        products = env["product.product"].sudo().search([
            ("default_code", "in", sorted(codes)), ("is_storable", "=", True),
            ("company_id", "in", [company.id, False])]) if codes else env["product.product"]
        by_code = products.grouped("default_code")
        # A code two Odoo products share matches neither (which one Metakocka means is unknown).
        self._by_code = {code: found for code, found in by_code.items() if len(found) == 1}

    def product(self, mk_id, code):
        linked = self._by_mk_id.get(mk_id)
        if linked:
            return linked
        found = self._by_code.get(code)
        return found if found and found not in self.linked else None

    def products_of(self, codes):
        """The products ``codes`` name: by their Internal Reference, or linked with that reference."""
        by_code = [self._by_code[code].id for code in codes if code in self._by_code]
        return (self.linked.browse(by_code) - self.linked) | self.linked.filtered(
            lambda product: product.default_code in codes)

    def mk_id_of(self, product):
        return self._mk_ids.get(product)


def apply_targets(env, company, targets):
    """Odoo's on-hand quantity of each (warehouse, product) set to its target by one inventory adjustment
    per warehouse; an unchanged quantity is not written. Returns how many quantities changed."""
    by_warehouse = defaultdict(dict)
    for (warehouse, product), quantity in targets:
        by_warehouse[warehouse][product] = quantity
    changed = 0
    for warehouse, quantities in by_warehouse.items():
        quants = _counted_quants(env, company, warehouse, quantities)
        if quants:
            _apply(quants, env._("Metakocka stock level"))
            changed += len(quants)
    return changed


def _counted_quants(env, company, warehouse, quantities):
    """The quants of the warehouse's stock location given the counted quantity that makes the warehouse's
    on-hand quantity the target (the sublocations' own quants are left as they are)."""
    products = env["product.product"].browse([product.id for product in quantities]).with_context(
        warehouse_id=warehouse.id)
    on_hand = {product.id: product.qty_available for product in products}
    Quant = env["stock.quant"].sudo().with_company(company)
    location = warehouse.lot_stock_id
    counted = Quant
    for product, target in quantities.items():
        difference = target - on_hand.get(product.id, 0.0)
        if float_is_zero(difference, precision_rounding=product.uom_id.rounding):
            continue
        quant = Quant._gather(product, location, strict=True)[:1]
        quant = quant or Quant.create({"product_id": product.id, "location_id": location.id})
        quant.inventory_quantity = quant.quantity + difference
        counted |= quant
    return counted


def _apply(quants, name):
    action = quants.with_context(inventory_name=name).action_apply_inventory()
    if isinstance(action, dict):  # a count in progress moved meanwhile: Odoo asks; the stock is left as it is
        raise StockLevelsProblem(quants.env._("The inventory adjustment of %(products)s asks for a decision: "
                                              "%(question)s", products=", ".join(quants.product_id.mapped(
                                                  "display_name")), question=action.get("name")))


# -- what the runs and the webhook's scheduled action call ------------------------------------


def odoo_batches(env, company, codes=None, trusted=(), warehouses=None):
    """Metakocka's levels as batches of ((warehouse, product), quantity) to apply; all of Metakocka is
    read before anything is written (a failure writes nothing)."""
    targets = StockLevels(env, company).metakocka_targets(codes, trusted, warehouses)
    return _batches(targets)


def _batches(targets):
    items = sorted(targets.items(), key=lambda item: (item[0][0].id, item[0][1].id))
    return [items[start:start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]


def pull_warehouse(env, company, mapped, targets):
    """The levels of ``targets`` (read whole, see :meth:`StockLevels.metakocka_targets`) that belong to one
    mapped warehouse, applied in the caller's transaction; (quantities changed, quantities compared)."""
    batches = _batches({key: amount for key, amount in targets.items() if key[0] == mapped.warehouse})
    changed = sum(apply_targets(env, company, batch) for batch in batches)
    return changed, sum(len(batch) for batch in batches)


def send_warehouse(service, mapped):
    """One mapped warehouse's whole Odoo stock to Metakocka (``sync_stock``); (lines sent, lines refused)."""
    env, company = service.env, service.company
    email = service.api_user_email()  # before anything is read: a setting missing costs no call
    lines = service.odoo_stock_list(mapped)
    if not lines:
        log(env, company, "push", "warning", env._(
            "Nothing was sent for the Metakocka warehouse %(mark)s: %(warehouse)s has no product Metakocka "
            "knows, and an empty list would clear it.", mark=mapped.mark, warehouse=mapped.warehouse.display_name))
        return 0, 0
    answer = service.client.sync_stock(email, lines)
    refused = _log_refused_lines(env, company, mapped, answer.get("error_list") or [])
    log(env, company, "push", "success", env._(
        "Stock of %(warehouse)s sent to the Metakocka warehouse %(mark)s: %(count)s products, %(removed)s "
        "cleared by Metakocka.", warehouse=mapped.warehouse.display_name, mark=mapped.mark, count=len(lines),
        removed=len(answer.get("stock_remove_list") or [])))
    return len(lines) - refused, refused


def _log_refused_lines(env, company, mapped, errors):
    for error in errors:
        detail = error if isinstance(error, dict) else {"error": str(error)}
        log(env, company, "push", "error", env._(
            "Metakocka refused the stock of %(product)s in the warehouse %(mark)s: %(error)s",
            product=detail.get("product_code") or detail.get("product_id") or "?", mark=mapped.mark,
            error=detail.get("error") or "?"))
    return len(errors)


def log(env, company, direction, status, message):
    return env["metakocka.sync.log"]._record(None, company_id=company.id, direction=direction, operation="stock",
                                             status=status, message=message)
