"""Odoo products to Metakocka: a linked product's changes with product_update, a new one found or added.

A product is never deleted in Metakocka by the connector: an archived product is sent as
``activated=false``. A push writes nothing on the product (only its link), so it never echoes back,
and a product whose shared state is the one last pulled or pushed costs no call.
"""

import time

from odoo import fields

from ..metakocka_api import MetakockaError
from .document_mapper import product_payload
from .connection import CompanyService
from .outcome import Outcome
from .product_mapper import odoo_state, state_fingerprint, update_payload


class ProductPusher(CompanyService):
    """Sends products of one company to Metakocka and records the outcome; never commits."""

    def push(self, product):
        """The :class:`~.outcome.Outcome` of sending ``product``."""
        started = time.monotonic()
        link = self.env["metakocka.product.link"].sudo().search(
            [("company_id", "=", self.company.id), ("product_id", "=", product.id)], limit=1)
        try:
            if not link:
                return self._add(product, started)
            return self._update(link, product, started)
        except MetakockaError as exc:
            if link:
                link.write({"state": "error", "last_error": str(exc)})
            self._log(product, link, "update" if link else "create", "error", started, str(exc))
            return Outcome("failed", self.env._("%(product)s: %(error)s", product=product.display_name,
                                                error=exc), link=link)

    def _add(self, product, started):
        if not product.default_code:
            return Outcome("skipped", self.env._(
                "%(product)s has no Internal Reference; Metakocka matches products by it.",
                product=product.display_name))
        link = self.catalog.ensure_product(product)
        link.write({"mk_unit": product_payload(product)["unit"], "mk_uom_id": product.uom_id.id, "fingerprint": False})
        outcome = self._update(link, product, started)  # Odoo's new product is the truth: its price too
        outcome.status = "created" if outcome.ok else outcome.status
        return outcome

    def _update(self, link, product, started):
        state = odoo_state(product)
        if link.fingerprint == state_fingerprint(state) and link.state == "synced":
            return Outcome("unchanged", link=link, record=product)
        payload = update_payload(link, product)
        self.client.product_update(payload)
        link.write({"fingerprint": state_fingerprint(state), "state": "synced", "last_error": False,
                    "last_direction": "push", "last_sync_at": fields.Datetime.now(),
                    "mk_unit": payload.get("unit") or link.mk_unit, "mk_uom_id": product.uom_id.id})
        message = "" if "unit" in payload else self.env._(
            "The unit of measure %(uom)s has no Metakocka unit; Metakocka keeps its own.", uom=product.uom_id.name)
        self._log(product, link, "update", "success", started, message)
        return Outcome("updated", link=link, record=product)

    def _log(self, product, link, operation, status, started, message=""):
        self.env["metakocka.sync.log"]._record(
            product, company_id=self.company.id, direction="push", mk_id=link.mk_id if link else False,
            operation=operation, status=status, duration_ms=int((time.monotonic() - started) * 1000),
            message=message or False,
        )
