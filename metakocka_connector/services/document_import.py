"""Bring Metakocka offers, sales orders and bills into Odoo as quotations, orders and draft invoices.

Importing a linked document updates its record, and only where something differs: a document that
did not change writes nothing. Totals are checked against Metakocka's ``sum_all``; a difference
marks the record "needs review" with the difference shown. The lines of a linked record changed in
Odoo since the last sync (``odoo_fingerprint``) are not rewritten: they stay for the push when Metakocka
did not change them or Odoo wins, are held for review, or are replaced when Metakocka wins.

A document that cannot be read as it is (a missing or malformed field) fails alone, with an error
that names the document and the field; it leaves nothing behind, as each document is written in a
savepoint.
"""

import logging
import time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tools.sql import escape_psql

from ..metakocka_api import MetakockaError
from ..metakocka_api.values import (
    as_list,
    as_object,
    parse_amount,
    parse_date,
    parse_discount,
    parse_id,
    parse_text,
)
from .connection import CompanyService
from .document_mapper import describe_lines, odoo_content, remote_content, total_difference
from .fingerprint import fingerprint
from .outcome import Outcome
from .partner_match import find_candidates
from .partner_pull import NO_PUSH
from .status_pull import still_to_review, take_remote_status

_logger = logging.getLogger(__name__)

ORDER_TYPES = ("sales_offer", "sales_order")
BILL_TYPES = ("sales_bill_domestic", "sales_bill_foreign")
IMPORTABLE_TYPES = ORDER_TYPES + BILL_TYPES

#: Errors of a document no check foresaw: they fail that document (logged with the traceback), never a batch.
UNFORESEEN_DATA_ERRORS = (ValueError, TypeError, KeyError, AttributeError, ArithmeticError)


class ImportProblem(Exception):
    """The document cannot be imported as it is (an unknown tax, a malformed field…): ``field`` says
    where (``doc_date``, ``line 2, price``), ``message`` why."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}" if field else message)


class DocumentImporter(CompanyService):
    """Imports documents of one company; reuse one importer for a batch."""

    def import_document(self, doc_type, mk_id, document=None, policy=None):
        """Create or update the Odoo record of one Metakocka document; never raises for bad data.

        ``document`` is the document as a search gave it; without its lines it is read again. ``policy``
        decides a linked record changed on both sides (see :meth:`_update_linked`); the company's by default.
        """
        started = time.monotonic()
        link = self.env["metakocka.document.link"].sudo()
        try:
            mk_id = self._checked_id(mk_id)
            link = link.search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)], limit=1)
            document = self._whole_document(doc_type, mk_id, document)
            with self.env.cr.savepoint():
                return self._import(doc_type, mk_id, document, link, started,
                                    policy or self.company.metakocka_edit_conflict)
        except (ImportProblem, MetakockaError, UserError, *UNFORESEEN_DATA_ERRORS) as exc:
            if isinstance(exc, UNFORESEEN_DATA_ERRORS):
                _logger.warning("Metakocka %s %s could not be imported", doc_type, mk_id, exc_info=True)
            return self._fail(link, doc_type, mk_id, document, str(exc), started)

    def reject(self, doc_type, document, problem):
        """Fail ``document`` (as a search gave it) for ``problem`` found before the import, as an import would."""
        mk_id = document.get("mk_id") if isinstance(document, dict) else None
        link = self.env["metakocka.document.link"].sudo()
        if isinstance(mk_id, str) and mk_id:
            link = link.search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)], limit=1)
        return self._fail(link, doc_type, mk_id, document, problem, time.monotonic())

    def _checked_id(self, mk_id):
        try:
            checked = parse_id(mk_id)
        except ValueError as exc:
            raise ImportProblem("mk_id", str(exc)) from None
        if not checked:
            raise ImportProblem("mk_id", self.env._("the document has no Metakocka id."))
        return checked

    def _whole_document(self, doc_type, mk_id, document):
        if doc_type not in IMPORTABLE_TYPES:
            raise ImportProblem("doc_type", self.env._("Metakocka documents of type %(type)s cannot be imported.",
                                                       type=doc_type))
        if document is None or (isinstance(document, dict) and "product_list" not in document):
            document = self.client.get_document(doc_type, mk_id, show_tax_factor="true")
        if not isinstance(document, dict):
            raise ImportProblem("", self.env._("Metakocka gave %(value)s instead of a document.",
                                               value=repr(document)[:60]))
        return document

    def _import(self, doc_type, mk_id, document, link, started, policy):
        values = self._values(document)
        remote = fingerprint(remote_content(document))
        if link:
            record = link.record
            status = self._update_linked(record, link, values, remote, policy)
        else:
            record = self._create(doc_type, values)
            link = self._link(record, doc_type, mk_id, values)
            status = "created"
        if doc_type == "sales_order" and take_remote_status(self, record, link, document) and status == "unchanged":
            status = "updated"
        if status == "conflict":
            return hold_edit_conflict(self, record, link, "pull", started)
        if status == "held":
            return Outcome("needs_review", link.last_error, link=link, record=record)
        if status == "kept":  # the link stays as it was: Odoo's change is still to be sent
            return Outcome("unchanged", link=link, record=record)
        in_step = {"remote_fingerprint": remote, "odoo_fingerprint": fingerprint(odoo_content(record)),
                   "edit_conflict": False}
        message = "\n".join(filter(None, [total_difference(record, values["total"]),
                                          still_to_review(record, link) if doc_type == "sales_order" else ""]))
        state = "needs_review" if message else "synced"
        if status == "unchanged" and link.state == state and (link.last_error or "") == message \
                and all(link[name] == value for name, value in in_step.items()):
            return Outcome("unchanged", link=link, record=record)  # nothing to write, not even the link
        link.write({
            "state": state, "last_error": message or False,
            "last_sync_at": fields.Datetime.now(), "last_direction": "pull",
            "count_code": values["number"] or link.count_code, **in_step,
        })
        self._log(record, link.mk_id, "import", "warning" if message else "success", started, message)
        if status == "created":
            record.message_post(body=self.env._("Imported from Metakocka %(number)s.",
                                                number=values["number"] or mk_id))
        return Outcome("needs_review" if message else status, message, link=link, record=record)

    def _update_linked(self, record, link, values, remote, policy):
        """Take Metakocka's version of a linked record, unless Odoo changed it since the last sync.

        "updated"/"unchanged" as :meth:`_update` did; "kept" when Odoo's change is kept for the push
        (Metakocka did not change the document, or Odoo wins); "conflict" when both changed and the policy
        holds it for review; "held" while it waits for a person.
        """
        if link.edit_conflict and policy != "metakocka":
            return "held"
        odoo_changed = bool(link.odoo_fingerprint) and link.odoo_fingerprint != fingerprint(odoo_content(record))
        if odoo_changed and not link.edit_conflict:  # a held one is taken only when a person chose Metakocka's
            if link.remote_fingerprint == remote or policy == "odoo":
                return "kept"
            if policy == "hold":
                return "conflict"
        if odoo_changed:
            record.message_post(body=self.env._(
                "Metakocka's version replaced the lines changed in Odoo since the last sync. Odoo's lines were: "
                "%(lines)s", lines=describe_lines(record)))
        return "updated" if self._update(record, values) else "unchanged"

    # -- reading ----------------------------------------------------------------------------

    def _read(self, parse, container, key, where=""):
        """``parse(container[key])``; an ImportProblem naming the field when it cannot be read."""
        try:
            return parse(container.get(key))
        except ValueError as exc:
            raise ImportProblem(_field(where, key), str(exc)) from None

    def _values(self, document):
        """Everything the record is made of; the partner and products are found or made on the way."""
        values = {
            "date": self._read(parse_date, document, "doc_date"),
            "total": self._read(parse_amount, document, "sum_all"),
            "number": self._read(parse_text, document, "count_code"),
            "buyer_order": self._read(parse_text, document, "buyer_order"),
            "currency": self._currency(self._read(parse_text, document, "currency_code")),
            "partner": self._partner(self._read(as_object, document, "partner")),
        }
        values["lines"] = [self._line(entry, position)
                           for position, entry in enumerate(as_list(document.get("product_list")), start=1)]
        if not values["lines"]:
            raise ImportProblem("product_list", self.env._("the document has no lines."))
        return values

    def _currency(self, code):
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", code or self.company.currency_id.name)], limit=1)
        if not currency:
            raise ImportProblem("currency_code", self.env._("the currency %(currency)s is unknown.", currency=code))
        return currency

    def _partner(self, remote):
        """The Odoo contact of a document's partner: linked, else matched, else new."""
        Link = self.env["metakocka.partner.link"].sudo()
        mk_id = self._read(parse_id, remote, "mk_id", "partner")
        link = mk_id and Link.search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)], limit=1)
        if link:
            return link.partner_id
        details = self._partner_details(remote)
        partner = self._match_partner(details) or self.env["res.partner"].with_context(**{NO_PUSH: True}).create(
            self._partner_values(details))
        if mk_id and not Link.search_count([("company_id", "=", self.company.id), ("partner_id", "=", partner.id)]):
            Link.create({"company_id": self.company.id, "partner_id": partner.id, "mk_id": mk_id,
                         "mk_address_id": details["mk_address_id"], "count_code": details["count_code"],
                         "state": "synced", "last_direction": "pull", "last_sync_at": fields.Datetime.now()})
        return partner

    def _partner_details(self, remote):
        """The partner's fields the import uses, read and checked."""
        text = {key: self._read(parse_text, remote, key, "partner") for key in (
            "customer", "tax_id_number", "email", "country_iso_2", "country", "street", "street_number",
            "post_number", "place", "city", "business_entity", "count_code")}
        if not text["customer"]:
            raise ImportProblem("partner, customer", self.env._("The Metakocka document's partner has no name."))
        contact = self._read(as_object, remote, "partner_contact", "partner")
        email = self._read(parse_text, contact, "email", "partner, partner_contact") or text["email"]
        return {**text, "email": email, "mk_address_id": self._read(parse_id, remote, "mk_address_id", "partner")}

    def _match_partner(self, details):
        """A contact with the partner's VAT number, else its email (equal, ignoring case), else its exact name.

        The contacts of users and companies are never matched: a remote partner must not become one of
        Odoo's own people (an order of a stranger on the administrator).
        """
        _criterion, found = find_candidates(self.env, self.company, vat=details["tax_id_number"],
                                            email=details["email"], name=details["customer"])
        return found[:1]

    def _partner_values(self, details):
        country_code = details["country_iso_2"] or details["country"][:2]
        country = self.env["res.country"].search([("code", "=ilike", escape_psql(country_code))], limit=1) \
            if country_code else None
        street = " ".join(filter(None, [details["street"], details["street_number"]]))
        return {
            "name": details["customer"], "is_company": details["business_entity"] == "true",
            "street": street or False, "zip": details["post_number"] or False,
            "city": details["place"] or details["city"] or False, "country_id": country.id if country else False,
            "vat": details["tax_id_number"] or False, "email": details["email"] or False,
            "company_id": self._owner_company_id(),
        }

    def _owner_company_id(self):
        """The company of the partners and products the import creates: none when the company shares them."""
        return False if self.company.metakocka_share_records else self.company.id

    def _line(self, entry, position):
        where = self.env._("line %(position)s", position=position)
        try:
            remote = as_object(entry)
        except ValueError as exc:
            raise ImportProblem(where, str(exc)) from None
        quantity = self._read(parse_amount, remote, "amount", where) or 0
        if quantity < 0:
            raise ImportProblem(_field(where, "amount"), self.env._(
                "a negative quantity (%(quantity)s) cannot be imported.", quantity=quantity))
        discount = self._read(parse_discount, remote, "discount", where)
        tax = self._tax(remote, where)
        price = self._price(remote, where)
        product = self._product(remote, where, price)
        return {"product": product, "quantity": float(quantity), "price": float(price),
                "discount": round(float(discount), 6), "tax": tax,
                "name": self._read(parse_text, remote, "name", where) or product.name}

    def _price(self, remote, where):
        """The line's price without tax; a price given with tax loses the line's tax rate."""
        price = self._read(parse_amount, remote, "price", where)
        if price is None:
            gross = self._read(parse_amount, remote, "price_with_tax", where) or 0
            price = gross / (1 + (self._tax_factor(remote, where) or 0))
        return price

    def _tax_factor(self, remote, where):
        factor = self._read(parse_amount, remote, "tax_factor", where)
        if factor is not None and factor < 0:
            raise ImportProblem(_field(where, "tax_factor"), self.env._(
                "a negative tax rate (%(factor)s) cannot be imported.", factor=factor))
        return factor

    def _product(self, remote, where, price):
        code = self._read(parse_text, remote, "code", where) or self._read(parse_text, remote, "count_code", where)
        mk_id = self._read(parse_id, remote, "mk_id", where)
        Link = self.env["metakocka.product.link"].sudo()
        link = mk_id and Link.search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)], limit=1)
        if link:
            return link.product_id
        if not code:
            raise ImportProblem(_field(where, "code"),
                                self.env._("A line of the Metakocka document has no product code."))
        Product = self.env["product.product"].with_context(active_test=False)
        product = Product.search([("default_code", "=", code), ("company_id", "in", (False, self.company.id))],
                                 limit=1)
        if not product:
            product = Product.create({
                "name": self._read(parse_text, remote, "name", where) or code, "default_code": code,
                "type": "service" if remote.get("type") == "service" else "consu",
                "list_price": float(price), "company_id": self._owner_company_id(),
            })
        if mk_id and not Link.search_count([("company_id", "=", self.company.id), ("product_id", "=", product.id)]):
            Link.create({"company_id": self.company.id, "product_id": product.id, "mk_id": mk_id,
                         "count_code": self._read(parse_text, remote, "count_code", where), "state": "synced",
                         "last_direction": "pull", "last_sync_at": fields.Datetime.now()})
        return product

    def _tax(self, remote, where):
        """The Odoo sales tax of a line: by its Metakocka code, else by its rate. Never guessed."""
        Tax = self.env["account.tax"]
        domain = [("company_id", "=", self.company.id), ("type_tax_use", "=", "sale"),
                  ("amount_type", "=", "percent")]
        code = self._read(parse_text, remote, "tax", where)
        product = self._read(parse_text, remote, "code", where)
        if code:
            tax = Tax.search(domain + [("metakocka_tax_code", "=", code)], limit=1)
            if tax:
                return tax
        factor = self._tax_factor(remote, where)
        if factor is None:
            raise ImportProblem(_field(where, "tax"), self.env._(
                "The tax %(code)s of product %(product)s has no Odoo tax with that Metakocka code.",
                code=code, product=product))
        rate = float(factor) * 100
        taxes = Tax.search(domain + [("price_include_override", "!=", "tax_included")])
        tax = taxes.filtered(lambda candidate: abs(candidate.amount - rate) < 0.0001)[:1]
        if not tax and rate:
            raise ImportProblem(_field(where, "tax_factor"), self.env._(
                "No Odoo sales tax of %(rate)s %% for product %(product)s (Metakocka tax %(code)s).",
                rate=round(rate, 4), product=product, code=code or "-"))
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

    def _link(self, record, doc_type, mk_id, values):
        link_values = {"company_id": self.company.id, "doc_type": doc_type, "mk_id": mk_id,
                       "count_code": values["number"], "buyer_order": values["buyer_order"] or f"metakocka-{mk_id}",
                       "state": "synced", "last_direction": "pull"}
        link_values["sale_order_id" if record._name == "sale.order" else "move_id"] = record.id
        return self.env["metakocka.document.link"].sudo().create(link_values)

    def _fail(self, link, doc_type, mk_id, document, problem, started):
        """Mark the document's link, if it has one, and log the failure; the message names the document."""
        number, mk_id = _number_of(document), _shown_id(mk_id)
        message = self.env._("%(document)s: %(problem)s", document=self._describe(doc_type, number, mk_id),
                             problem=problem)
        if link:
            link.write({"state": "error", "last_error": message, "last_direction": "pull"})
        self._log(link.record if link else None, mk_id, "import", "error", started, message,
                  record_name=number or f"{doc_type} {mk_id or '-'}")
        return Outcome("failed", message)

    def _describe(self, doc_type, number, mk_id):
        kinds = dict(self.env["metakocka.document.link"]._fields["doc_type"]._description_selection(self.env))
        return self.env._("%(kind)s %(number)s (Metakocka id %(mk_id)s)", kind=kinds.get(doc_type, doc_type),
                          number=number or "-", mk_id=mk_id or "-")

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


def hold_edit_conflict(service, record, link, direction, started):
    """Hold ``record``, changed in Odoo and in Metakocka since the last sync, for a person to choose."""
    env = service.env
    args = {"record": record.display_name, "number": link.count_code or link.mk_id}
    if record._name == "sale.order":
        message = env._("%(record)s was changed in Odoo and in Metakocka (%(number)s) since the last sync; neither "
                        "was overwritten. On its Metakocka tab, choose Send Odoo's version or Take Metakocka's "
                        "version.", **args)
    else:
        message = env._("%(record)s was changed in Odoo and in Metakocka (%(number)s) since the last sync; neither "
                        "was overwritten. On its Metakocka tab, choose Send Odoo's version, or make Odoo's match "
                        "Metakocka's.", **args)
    link.write({"state": "needs_review", "edit_conflict": True, "last_error": message,
                "last_sync_at": fields.Datetime.now(), "last_direction": direction})
    env["metakocka.sync.log"]._record(
        record, company_id=service.company.id, direction=direction, mk_id=link.mk_id,
        operation="update" if direction == "push" else "import", status="warning",
        duration_ms=int((time.monotonic() - started) * 1000), message=message)
    record.message_post(body=message)
    return Outcome("needs_review", message, link=link, record=record)


def _field(where, key):
    """How messages name a field: ``doc_date``, ``line 2, price``."""
    return f"{where}, {key}" if where else key


def _number_of(document):
    number = document.get("count_code") if isinstance(document, dict) else None
    return number if isinstance(number, str) else None


def _shown_id(mk_id):
    return str(mk_id) if isinstance(mk_id, (str, int)) and mk_id else None


def _same_lines(current, wanted):
    if len(current) != len(wanted):
        return False
    for have, want in zip(current, wanted):
        if have[0] != want[0] or have[4] != want[4]:
            return False
        if any(abs(a - b) > 1e-6 for a, b in zip(have[1:4], want[1:4])):
            return False
    return True
