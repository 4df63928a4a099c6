from odoo import api, fields, models
from odoo.exceptions import UserError

from ..metakocka_api import MetakockaError
from ..metakocka_api.values import as_list, as_object, format_doc_date, parse_amount, parse_date, parse_id, parse_text
from ..services.connection import client_for
from ..services.document_import import DocumentImporter

PAGE_SIZE = 100
DOC_TYPES = [
    ("sales_order", "Sales orders"),
    ("sales_offer", "Offers"),
    ("sales_bill_domestic", "Domestic bills"),
    ("sales_bill_foreign", "Foreign bills"),
]


class MetakockaImportWizard(models.TransientModel):
    """The import screen: Metakocka documents not yet linked in Odoo, a page at a time."""

    _name = "metakocka.import.wizard"
    _description = "Import from Metakocka"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    doc_type = fields.Selection(DOC_TYPES, string="Documents", required=True, default="sales_order")
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    page = fields.Integer(default=1)
    page_count = fields.Integer(readonly=True)
    total = fields.Integer("In Metakocka", readonly=True)
    line_ids = fields.One2many("metakocka.import.wizard.line", "wizard_id", string="Documents found")
    summary = fields.Char(readonly=True)

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Import from Metakocka")

    def action_load(self):
        self.ensure_one()
        try:
            answer = client_for(self.company_id).search(
                self.doc_type, result_type="doc", offset=(max(self.page, 1) - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                query_advance=self._date_filters(),
            )
        except MetakockaError as exc:
            raise UserError(self.env._("Metakocka could not list the documents: %(error)s", error=exc)) from None
        documents, unreadable = _split_unreadable(as_list(answer.get("result")))
        documents = [doc for doc in documents if self._in_dates(doc)]
        unlinked = self._unlinked(documents)
        total = int(_readable(parse_amount, answer.get("result_all_records")) or 0)
        summary = self.env._("%(unlinked)s of %(shown)s documents on this page are not in Odoo yet.",
                             unlinked=len(unlinked), shown=len(documents))
        self.write({
            "total": total,
            "page_count": max(1, -(-total // PAGE_SIZE)),
            "line_ids": [fields.Command.clear()] + [fields.Command.create(_line_values(doc)) for doc in unlinked],
            "summary": " ".join(filter(None, [summary, self._unreadable_note(unreadable)])),
        })
        return self._reopen()

    def action_next_page(self):
        self.page = min(self.page + 1, self.page_count or 1)
        return self.action_load()

    def action_previous_page(self):
        self.page = max(self.page - 1, 1)
        return self.action_load()

    def action_import_selected(self):
        self.ensure_one()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(self.env._("Select the documents to import first."))
        importer = DocumentImporter(self.env, self.company_id)
        outcomes = []
        for line in lines:
            with self.env.cr.savepoint():
                outcomes.append(importer.import_document(self.doc_type, line.mk_id))
        failed = [outcome.message for outcome in outcomes if not outcome.ok]
        self.action_load()
        message = self.env._("%(done)s imported, %(failed)s failed.", done=len(outcomes) - len(failed),
                             failed=len(failed))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Metakocka import"),
                "message": "\n".join([message, *failed]),
                "type": "danger" if failed else "success",
                "sticky": bool(failed),
                "next": self._reopen(),
            },
        }

    def action_import_all(self):
        """Queue every unlinked document matching the filters as a background run."""
        self.ensure_one()
        try:
            found = list(client_for(self.company_id).iter_search(self.doc_type, result_type="doc",
                                                                 query_advance=self._date_filters()))
        except MetakockaError as exc:
            raise UserError(self.env._("Metakocka could not list the documents: %(error)s", error=exc)) from None
        documents, unreadable = _split_unreadable(found)
        unlinked = self._unlinked([doc for doc in documents if self._in_dates(doc)])
        note = self._unreadable_note(unreadable)
        if not unlinked:
            raise UserError(" ".join(filter(None, [
                self.env._("Every matching Metakocka document is already in Odoo."), note])))
        run = self.env["metakocka.sync.run"]._queue_import(self.company_id, [
            (self.doc_type, _mk_id(doc), _number(doc)) for doc in unlinked])
        action = {"type": "ir.actions.act_window", "res_model": "metakocka.sync.run", "res_id": run.id,
                  "view_mode": "form", "views": [(False, "form")], "target": "current"}
        if not note:
            return action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Metakocka import"), "message": note, "type": "warning", "sticky": True,
            "next": action}}

    def _unlinked(self, documents):
        """The ``documents`` not linked in this company yet."""
        linked = set(self.env["metakocka.document.link"].sudo().search([
            ("company_id", "=", self.company_id.id), ("mk_id", "in", [_mk_id(doc) for doc in documents]),
        ]).mapped("mk_id"))
        return [doc for doc in documents if _mk_id(doc) not in linked]

    def _unreadable_note(self, numbers):
        if not numbers:
            return ""
        return self.env._("Metakocka sent documents without a readable mk_id, which cannot be imported: "
                          "%(numbers)s.", numbers=", ".join(numbers))

    def _date_filters(self):
        if self.doc_type == "sales_offer":
            return []  # Metakocka refuses date filters on offers: they are applied here instead
        filters = []
        if self.date_from:
            filters.append(("doc_date_from", format_doc_date(self.date_from)))
        if self.date_to:
            filters.append(("doc_date_to", format_doc_date(self.date_to)))
        return filters

    def _in_dates(self, document):
        """Whether the document's date is in the filter; one without a readable date is listed, and its
        import names the date."""
        day = _readable(parse_date, document.get("doc_date"))
        return not day or ((not self.date_from or day >= self.date_from) and (not self.date_to or day <= self.date_to))

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form", "views": [(False, "form")],
                "target": "current", "name": self.env._("Import from Metakocka")}

    @api.model
    def action_open(self):
        wizard = self.create({})
        return wizard.action_load()


class MetakockaImportWizardLine(models.TransientModel):
    _name = "metakocka.import.wizard.line"
    _description = "Metakocka document to import"
    _order = "doc_date desc, id"

    wizard_id = fields.Many2one("metakocka.import.wizard", required=True, ondelete="cascade")
    selected = fields.Boolean("Import")
    mk_id = fields.Char("Metakocka id", readonly=True)
    count_code = fields.Char("Number", readonly=True)
    doc_date = fields.Date("Date", readonly=True)
    partner_name = fields.Char("Customer", readonly=True)
    buyer_order = fields.Char("Customer order", readonly=True)
    amount_total = fields.Float("Total", readonly=True)
    currency_code = fields.Char("Currency", readonly=True)


def _line_values(document):
    """The line of a document on the screen; what cannot be read is left empty (importing it says why)."""
    partner = _readable(as_object, document.get("partner")) or {}
    return {
        "mk_id": _mk_id(document),
        "count_code": _number(document),
        "doc_date": _readable(parse_date, document.get("doc_date")),
        "partner_name": _readable(parse_text, partner.get("customer")) or False,
        "buyer_order": _readable(parse_text, document.get("buyer_order")) or False,
        "amount_total": float(_readable(parse_amount, document.get("sum_all")) or 0),
        "currency_code": _readable(parse_text, document.get("currency_code")) or False,
    }


def _split_unreadable(results):
    """The search results that can be imported (objects with an mk_id), and the numbers of the others."""
    readable, unreadable = [], []
    for result in results:
        if isinstance(result, dict) and _mk_id(result):
            readable.append(result)
        else:
            unreadable.append((_number(result) if isinstance(result, dict) else None) or repr(result)[:40])
    return readable, unreadable


def _mk_id(document):
    return _readable(parse_id, document.get("mk_id"))


def _number(document):
    return _readable(parse_text, document.get("count_code")) or False


def _readable(parse, value):
    """``parse(value)``, or None when the value cannot be read."""
    try:
        return parse(value)
    except ValueError:
        return None
