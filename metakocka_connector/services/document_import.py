"""Bring Metakocka offers, sales orders and bills into Odoo as quotations, orders and draft invoices.

Importing a linked document updates its record, and only where something differs: a document that
did not change writes nothing. Totals are checked against Metakocka's ``sum_all``; a difference
marks the record "needs review" with the difference shown.
"""

import time

from odoo import Command, fields
from odoo.tools import SQL
from odoo.tools.sql import escape_psql

from ..metakocka_api import MetakockaError
from ..metakocka_api.values import as_list, parse_date, parse_number
from .connection import CompanyService
from .document_mapper import total_difference
from .outcome import Outcome

ORDER_TYPES = ("sales_offer", "sales_order")
BILL_TYPES = ("sales_bill_domestic", "sales_bill_foreign")
IMPORTABLE_TYPES = ORDER_TYPES + BILL_TYPES

#: The contacts of users (internal, portal, archived) and of companies, which remote data never owns.
ODOO_PEOPLE = SQL("(SELECT partner_id FROM res_users UNION "
                  "SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)")


class ImportProblem(Exception):
    """The document cannot be imported as it is (an unknown tax, no lines…); the message says why."""


class DocumentImporter(CompanyService):
    """Imports documents of one company; reuse one importer for a batch."""

    def import_document(self, doc_type, mk_id, document=None):
        """Create or update the Odoo record of one Metakocka document; never raises for bad data."""
        started = time.monotonic()
        link = self.env["metakocka.document.link"].sudo().search(
            [("company_id", "=", self.company.id), ("mk_id", "=", str(mk_id))], limit=1
        )
        try:
            if doc_type not in IMPORTABLE_TYPES:
                raise ImportProblem(self.env._("Metakocka documents of type %(type)s cannot be imported.",
                                               type=doc_type))
            if document is None or "product_list" not in document:
                document = self.client.get_document(doc_type, mk_id, show_tax_factor="true")
            values = self._values(doc_type, document)
        except (ImportProblem, MetakockaError) as exc:
            return self._fail(link, doc_type, mk_id, document, str(exc), started)

        if link:
            record = link.record
            status = "updated" if self._update(record, values) else "unchanged"
        else:
            record = self._create(doc_type, values)
            link = self._link(record, doc_type, document)
            status = "created"
        message = total_difference(record, document.get("sum_all"))
        state = "needs_review" if message else "synced"
        if status == "unchanged" and link.state == state and (link.last_error or "") == message:
            return Outcome("unchanged", link=link, record=record)  # nothing to write, not even the link
        link.write({
            "state": state, "last_error": message or False,
            "last_sync_at": fields.Datetime.now(), "last_direction": "pull",
            "count_code": document.get("count_code") or link.count_code,
        })
        self._log(record, link.mk_id, "import", "warning" if message else "success", started, message)
        if status == "created":
            record.message_post(body=self.env._("Imported from Metakocka %(number)s.",
                                                number=document.get("count_code") or mk_id))
        return Outcome("needs_review" if message else status, message, link=link, record=record)

    # -- mapping ----------------------------------------------------------------------------

    def _values(self, doc_type, document):
        partner = self._partner(document.get("partner") or {})
        lines = [self._line(line) for line in as_list(document.get("product_list"))]
        if not lines:
            raise ImportProblem(self.env._("Metakocka document %(number)s has no lines.",
                                           number=document.get("count_code")))
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", document.get("currency_code") or self.company.currency_id.name)], limit=1)
        if not currency:
            raise ImportProblem(self.env._("Metakocka document %(number)s: the currency %(currency)s is unknown.",
                                           number=document.get("count_code"),
                                           currency=document.get("currency_code")))
        return {"partner": partner, "lines": lines, "currency": currency,
                "date": parse_date(document.get("doc_date")), "number": document.get("count_code")}

    def _partner(self, remote):
        """The Odoo contact of a document's partner: linked, else matched, else new."""
        Link = self.env["metakocka.partner.link"].sudo()
        mk_id = remote.get("mk_id")
        link = mk_id and Link.search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)], limit=1)
        if link:
            return link.partner_id
        name = (remote.get("customer") or "").strip()
        if not name:
            raise ImportProblem(self.env._("The Metakocka document's partner has no name."))
        email = (remote.get("partner_contact") or {}).get("email") or remote.get("email")
        partner = self._match_partner(remote.get("tax_id_number"), email, name)
        if not partner:
            partner = self.env["res.partner"].create(self._partner_values(remote, name, email))
        if mk_id and not Link.search_count([("company_id", "=", self.company.id), ("partner_id", "=", partner.id)]):
            Link.create({"company_id": self.company.id, "partner_id": partner.id, "mk_id": mk_id,
                         "mk_address_id": remote.get("mk_address_id"), "count_code": remote.get("count_code"),
                         "state": "synced", "last_direction": "pull", "last_sync_at": fields.Datetime.now()})
        return partner

    def _match_partner(self, vat, email, name):
        """A contact with the partner's VAT number, else its email (equal, ignoring case), else its exact name.

        The contacts of users and companies are never matched: a remote partner must not become one of
        Odoo's own people (an order of a stranger on the administrator).
        """
        Partner = self.env["res.partner"]
        allowed = [("company_id", "in", (False, self.company.id)), ("id", "not in", ODOO_PEOPLE)]
        for domain in ([("vat", "=", vat)] if vat else None,
                       [("email", "=ilike", escape_psql(email))] if email else None,
                       [("name", "=", name)]):
            partner = domain and Partner.search(allowed + domain, limit=1)
            if partner:
                return partner
        return Partner

    def _partner_values(self, remote, name, email):
        country_code = remote.get("country_iso_2") or (remote.get("country") or "")[:2]
        country = self.env["res.country"].search([("code", "=ilike", country_code)], limit=1) if country_code else None
        street = " ".join(filter(None, [remote.get("street"), remote.get("street_number")]))
        return {
            "name": name, "is_company": remote.get("business_entity") == "true", "street": street or False,
            "zip": remote.get("post_number") or False, "city": remote.get("place") or remote.get("city") or False,
            "country_id": country.id if country else False, "vat": remote.get("tax_id_number") or False,
            "email": email or False, "company_id": self._owner_company_id(),
        }

    def _owner_company_id(self):
        """The company of the partners and products the import creates: none when the company shares them."""
        return False if self.company.metakocka_share_records else self.company.id

    def _line(self, remote):
        product = self._product(remote)
        quantity = parse_number(remote.get("amount")) or 0
        tax = self._tax(remote)
        price = parse_number(remote.get("price"))
        if price is None:
            gross = parse_number(remote.get("price_with_tax")) or 0
            price = gross / (1 + (parse_number(remote.get("tax_factor")) or 0))
        discount = 0
        for step in str(remote.get("discount") or "").split(";"):
            if step.strip():
                discount = 100 - (100 - discount) * (100 - float(parse_number(step))) / 100
        return {"product": product, "quantity": float(quantity), "price": float(price),
                "discount": round(discount, 6), "tax": tax, "name": remote.get("name") or product.name}

    def _product(self, remote):
        code = remote.get("code") or remote.get("count_code")
        Link = self.env["metakocka.product.link"].sudo()
        link = remote.get("mk_id") and Link.search(
            [("company_id", "=", self.company.id), ("mk_id", "=", remote["mk_id"])], limit=1)
        if link:
            return link.product_id
        if not code:
            raise ImportProblem(self.env._("A line of the Metakocka document has no product code."))
        Product = self.env["product.product"].with_context(active_test=False)
        product = Product.search([("default_code", "=", code), ("company_id", "in", (False, self.company.id))],
                                 limit=1)
        if not product:
            product = Product.create({
                "name": remote.get("name") or code, "default_code": code,
                "type": "service" if remote.get("type") == "service" else "consu",
                "list_price": float(parse_number(remote.get("price")) or 0), "company_id": self._owner_company_id(),
            })
        if remote.get("mk_id") and not Link.search_count(
                [("company_id", "=", self.company.id), ("product_id", "=", product.id)]):
            Link.create({"company_id": self.company.id, "product_id": product.id, "mk_id": remote["mk_id"],
                         "count_code": remote.get("count_code"), "state": "synced", "last_direction": "pull",
                         "last_sync_at": fields.Datetime.now()})
        return product

    def _tax(self, remote):
        """The Odoo sales tax of a line: by its Metakocka code, else by its rate. Never guessed."""
        Tax = self.env["account.tax"]
        domain = [("company_id", "=", self.company.id), ("type_tax_use", "=", "sale"),
                  ("amount_type", "=", "percent")]
        code = remote.get("tax")
        if code:
            tax = Tax.search(domain + [("metakocka_tax_code", "=", code)], limit=1)
            if tax:
                return tax
        factor = parse_number(remote.get("tax_factor"))
        if factor is None:
            raise ImportProblem(self.env._(
                "The tax %(code)s of product %(product)s has no Odoo tax with that Metakocka code.",
                code=code, product=remote.get("code")))
        rate = float(factor) * 100
        taxes = Tax.search(domain + [("price_include_override", "!=", "tax_included")])
        tax = taxes.filtered(lambda candidate: abs(candidate.amount - rate) < 0.0001)[:1]
        if not tax and rate:
            raise ImportProblem(self.env._(
                "No Odoo sales tax of %(rate)s %% for product %(product)s (Metakocka tax %(code)s).",
                rate=round(rate, 4), product=remote.get("code"), code=code or "-"))
        return tax

    # -- writing ----------------------------------------------------------------------------

    def _create(self, doc_type, values):
        if doc_type in ORDER_TYPES:
            order = self.env["sale.order"].create({
                "partner_id": values["partner"].id, "company_id": self.company.id,
                "order_line": [Command.create(self._order_line_values(line)) for line in values["lines"]],
                "client_order_ref": values["number"],
            } | ({"date_order": fields.Datetime.to_datetime(values["date"])} if values["date"] else {}))
            if doc_type == "sales_order":
                # Confirming must not send the order straight back to where it came from.
                order.with_context(metakocka_no_push=True).action_confirm()
            return order
        return self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": values["partner"].id, "company_id": self.company.id,
            "currency_id": values["currency"].id, "invoice_date": values["date"], "ref": values["number"],
            "invoice_line_ids": [Command.create(self._invoice_line_values(line)) for line in values["lines"]],
        })

    def _update(self, record, values):
        """Bring ``record`` in line with ``values``, writing only what differs; True when it wrote."""
        changed = False
        if record.partner_id != values["partner"]:
            record.partner_id = values["partner"]
            changed = True
        if record._name == "sale.order":
            lines = record.order_line.filtered(lambda line: not line.display_type)
            current = [(line.product_id.id, line.product_uom_qty, line.price_unit, line.discount,
                        tuple(line.tax_id.ids)) for line in lines]
            make, field = self._order_line_values, "order_line"
        else:
            lines = record.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            current = [(line.product_id.id, line.quantity, line.price_unit, line.discount, tuple(line.tax_ids.ids))
                       for line in lines]
            make, field = self._invoice_line_values, "invoice_line_ids"
        if _same_lines(current, [self._line_key(line) for line in values["lines"]]):
            return changed
        commands = [
            Command.update(lines[position].id, make(line)) if position < len(lines) else Command.create(make(line))
            for position, line in enumerate(values["lines"])
        ]
        commands += [Command.delete(extra.id) for extra in lines[len(values["lines"]):]]
        record.write({field: commands})
        return True

    def _link(self, record, doc_type, document):
        values = {"company_id": self.company.id, "doc_type": doc_type, "mk_id": document["mk_id"],
                  "count_code": document.get("count_code"), "buyer_order": document.get("buyer_order") or
                  f"metakocka-{document['mk_id']}", "state": "synced", "last_direction": "pull"}
        values["sale_order_id" if record._name == "sale.order" else "move_id"] = record.id
        return self.env["metakocka.document.link"].sudo().create(values)

    def _fail(self, link, doc_type, mk_id, document, message, started):
        if link:
            link.write({"state": "error", "last_error": message, "last_direction": "pull"})
        self._log(link.record if link else None, mk_id, "import", "error", started, message,
                  record_name=(document or {}).get("count_code") or f"{doc_type} {mk_id}")
        return Outcome("failed", message)

    def _log(self, record, mk_id, operation, status, started, message="", **extra):
        self.env["metakocka.sync.log"]._record(
            record, company_id=self.company.id, direction="pull", mk_id=mk_id, operation=operation, status=status,
            duration_ms=int((time.monotonic() - started) * 1000), message=message or False, **extra,
        )

    @staticmethod
    def _order_line_values(line):
        return {"product_id": line["product"].id, "product_uom_qty": line["quantity"], "price_unit": line["price"],
                "discount": line["discount"], "tax_id": [Command.set(line["tax"].ids)], "name": line["name"]}

    @staticmethod
    def _invoice_line_values(line):
        return {"product_id": line["product"].id, "quantity": line["quantity"], "price_unit": line["price"],
                "discount": line["discount"], "tax_ids": [Command.set(line["tax"].ids)], "name": line["name"]}

    @staticmethod
    def _line_key(line):
        return (line["product"].id, line["quantity"], line["price"], line["discount"], tuple(line["tax"].ids))


def _same_lines(current, wanted):
    if len(current) != len(wanted):
        return False
    for have, want in zip(current, wanted):
        if have[0] != want[0] or have[4] != want[4]:
            return False
        if any(abs(a - b) > 1e-6 for a, b in zip(have[1:4], want[1:4])):
            return False
    return True
