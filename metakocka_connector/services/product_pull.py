"""The catalogue pull: Metakocka's products into Odoo's, one page of product_list at a time.

A Metakocka product is found in Odoo through its link (the Metakocka id), else by its code (the
internal reference), else by its barcode; what is not found is created. Products already linked to
another Metakocka product are never matched, so no two Odoo products share one Metakocka product.
An unchanged product costs no write; what the pull writes queues no push back (``NO_PUSH``).
One row that cannot be read or written fails alone and is logged with its code and field.
"""

import logging
from dataclasses import dataclass, field

from odoo import fields

from .connection import CompanyService
from .product_mapper import ProductRowProblem, new_product_values, odoo_changes, read_remote, remote_state
from .product_mapper import state_fingerprint, unit_uom

_logger = logging.getLogger(__name__)

#: Context key of the writes the connector makes itself: they are not sent back to Metakocka.
NO_PUSH = "metakocka_no_product_push"
#: Metakocka gives at most 1000 products a page, and no total.
PAGE_SIZE = 1000
STATUSES = ("created", "linked", "updated", "unchanged", "failed")


@dataclass
class PageResult:
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    errors: list = field(default_factory=list)
    full: bool = False  # a full page: the next one may hold more

    def summary(self):
        return ", ".join(f"{status} {self.counts[status]}" for status in STATUSES)


class ProductPuller(CompanyService):
    """Pulls pages of a company's Metakocka catalogue; never commits."""

    def pull_page(self, offset, limit=PAGE_SIZE):
        """Pull the products of one page; a :class:`PageResult`, also logged in the sync log."""
        rows = self.client.product_list(offset=offset, limit=limit, return_pricelist="true")["product_list"]
        result = PageResult(full=len(rows) >= limit)
        links = self._links([row.get("mk_id") for row in rows if isinstance(row, dict)])
        for row in rows:
            status = self._pull_row(row, links, result)
            result.counts[status] += 1
        self._log(None, "success" if not result.errors else "error", self.env._(
            "Products %(first)s–%(last)s of the Metakocka catalogue: %(summary)s.",
            first=offset + 1, last=offset + len(rows), summary=result.summary()))
        return result

    def pull_all(self, page_size=PAGE_SIZE):
        """Every page in turn (tools and tests; runs pull a page an item)."""
        total, offset = PageResult(), 0
        while True:
            page = self.pull_page(offset, page_size)
            for status, count in page.counts.items():
                total.counts[status] += count
            total.errors += page.errors
            offset += page_size
            if not page.full:
                return total

    def _links(self, mk_ids):
        links = self.env["metakocka.product.link"].sudo().search(
            [("company_id", "=", self.company.id), ("mk_id", "in", [str(mk_id) for mk_id in mk_ids if mk_id])])
        return {link.mk_id: link for link in links}

    def _pull_row(self, row, links, result):
        code = row.get("code") if isinstance(row, dict) else None
        try:
            with self.env.cr.savepoint():
                remote = read_remote(row)
                return self._apply(remote, links)
        except Exception as exc:  # noqa: BLE001 - one bad product must not stop the page
            message = str(exc) if isinstance(exc, ProductRowProblem) else f"{code or '?'}: {exc}"
            if not isinstance(exc, ProductRowProblem):
                _logger.warning("Pulling Metakocka product %s failed", code, exc_info=True)
            result.errors.append(message)
            self._fail(row, links, message)
            return "failed"

    def _apply(self, remote, links):
        """Create, link or update the Odoo product of ``remote``; its status."""
        link = links.get(remote.mk_id)
        product, status = (link.product_id, "updated") if link else (self._match(remote), "linked")
        uom = self._uom(product, remote)
        state = remote_state(product, remote, uom)
        if not product:
            product, status = self._create(state), "created"
        changes = odoo_changes(product, state) if status != "created" else {}
        if changes:
            product.with_context(**{NO_PUSH: True}).write(changes)
        link = self._save_link(link, product, remote, uom, state)
        links[remote.mk_id] = link
        return status if status != "updated" or changes else "unchanged"

    def _match(self, remote):
        """The unlinked Odoo product with the code, else the barcode, of ``remote``."""
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        Link = self.env["metakocka.product.link"].sudo()
        for field_name, value in (("default_code", remote.code), ("barcode", remote.barcode)):
            if not value:
                continue
            found = Product.search([(field_name, "=", value), ("company_id", "in", (False, self.company.id))])
            found -= Link.search([("company_id", "=", self.company.id), ("product_id", "in", found.ids)]).product_id
            if len(found) > 1:
                raise ProductRowProblem(remote.code, field_name, self.env._(
                    "several Odoo products have %(value)s; link one by hand.", value=value))
            if found:
                return found
        return Product.browse()

    def _create(self, state):
        owner = False if self.company.metakocka_share_records else self.company.id
        values = new_product_values(self.env, state, owner)
        return self.env["product.product"].sudo().with_context(**{NO_PUSH: True}).create(values)

    def _uom(self, product, remote):
        """Odoo's unit for the remote unit; an unknown unit keeps the product's (or the default) and is logged."""
        uom = unit_uom(self.env, remote.unit)
        if uom:
            return uom
        fallback = product.uom_id or self.env.ref("uom.product_uom_unit")
        if remote.unit:
            self._log(product, "warning", self.env._(
                "%(code)s: Metakocka unit %(unit)s has no Odoo unit of measure; %(uom)s is kept.",
                code=remote.code, unit=remote.unit, uom=fallback.name), mk_id=remote.mk_id)
        return fallback

    def _save_link(self, link, product, remote, uom, state):
        values = {"product_id": product.id, "mk_id": remote.mk_id, "count_code": remote.count_code or False,
                  "state": "synced", "last_error": False, "fingerprint": state_fingerprint(state),
                  "mk_unit": remote.unit or False, "mk_uom_id": uom.id}
        if not link:
            return self.env["metakocka.product.link"].sudo().create({**values, "company_id": self.company.id, "last_direction": "pull",
                                "last_sync_at": fields.Datetime.now()})
        changed = {key: value for key, value in values.items() if _value(link[key]) != value}
        if changed:
            link.write({**changed, "last_direction": "pull", "last_sync_at": fields.Datetime.now()})
        return link

    def _fail(self, row, links, message):
        mk_id = str(row.get("mk_id") or "") if isinstance(row, dict) else ""
        link = links.get(mk_id)
        if link:
            link.write({"state": "error", "last_error": message})
        self._log(link.product_id if link else None, "error", message, mk_id=mk_id or False)

    def _log(self, product, status, message, mk_id=False):
        values = {"company_id": self.company.id, "direction": "pull", "operation": "pull", "status": status,
                  "message": message, "mk_id": mk_id}
        self.env["metakocka.sync.log"]._record(product or None, **values)


def _value(value):
    """A field's value as the link's values give it (a record as its id)."""
    return value.id if hasattr(value, "_name") else value
