from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

MEANINGS = [
    ("new", "New"),
    ("confirmed", "Confirmed"),
    ("ready", "Ready to ship"),
    ("shipped", "Shipped"),
    ("completed", "Completed"),
    ("paused", "Paused"),
    ("cancelled", "Cancelled"),
    ("returned", "Returned"),
    ("other", "Other"),
]

#: Metakocka's default register of sales order statuses (Vrednost, Opis; reference §3.6), what each
#: means for Odoo, and the statuses an order may move to from it.
DEFAULT_REGISTER = [
    ("draft", "Draft", "new", ["created", "canceled", "duplicate"]),
    ("created", "Novo", "confirmed", ["ready_to_ship", "shipped", "paused", "completed", "canceled", "duplicate",
                                      "manually_closed"]),
    ("ready_to_ship", "Pripravljen za odpremo", "ready", ["shipped", "paused", "created", "canceled"]),
    ("paused", "Pavziran", "paused", ["created", "ready_to_ship", "canceled"]),
    ("shipped", "Odpremljen", "shipped", ["completed", "package_returned"]),
    ("completed", "Zaključena", "completed", ["package_returned"]),
    ("canceled", "Preklican", "cancelled", ["created"]),
    ("package_returned", "Vračilo paketa", "returned", ["completed"]),
    ("manually_closed", "Brisan", "other", []),
    ("duplicate", "Duplikat", "other", []),
]


class MetakockaOrderStatus(models.Model):
    """One entry of a company's Metakocka register of sales order statuses.

    Metakocka's API takes the entry's code (its "Opis") and shows its name (its "Vrednost"); the
    register cannot be read through the API, so the company keeps it here, seeded with Metakocka's
    default register. ``meaning`` says what the status is for Odoo (the events that set it), and
    ``next_status_ids`` which statuses an order may move to from it.
    """

    _name = "metakocka.order.status"
    _description = "Metakocka order status"
    _order = "company_id, sequence, id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    sequence = fields.Integer(default=10)
    code = fields.Char("Code (Opis)", required=True, help="The status's code in Metakocka's register (Opis), which "
                                                          "the API takes.")
    name = fields.Char("Name (Vrednost)", required=True, help="The status as Metakocka shows it (Vrednost).")
    meaning = fields.Selection(MEANINGS, string="Meaning for Odoo", required=True, default="other")
    next_status_ids = fields.Many2many(
        "metakocka.order.status", "metakocka_order_status_next_rel", "status_id", "next_id",
        string="May move to", domain="[('company_id', '=', company_id), ('id', '!=', id)]")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE (company_id, code)", "This status code is already in the company's register."),
    ]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for status in self:
            status.display_name = f"{status.name} ({status.code})" if status.code else status.name

    @api.constrains("company_id", "next_status_ids")
    def _check_company(self):
        for status in self:
            if status.next_status_ids.company_id - status.company_id:
                raise ValidationError(self.env._("The statuses %(status)s may move to must be of its company.",
                                                 status=status.display_name))

    @api.model
    def _for_meaning(self, company, meaning):
        """The company's first active status that means ``meaning`` (empty when there is none)."""
        return self.sudo().search([("company_id", "=", company.id), ("meaning", "=", meaning)], limit=1)

    @api.model
    def _by_code(self, company, code):
        return self.sudo().with_context(active_test=False).search(
            [("company_id", "=", company.id), ("code", "=", code)], limit=1)

    def _may_move_to(self, target):
        """Whether an order in this status (none: not yet known) may move to ``target``."""
        return not self or self == target or target in self.next_status_ids

    def _check_move_to(self, target, record):
        if not self._may_move_to(target):
            raise UserError(self.env._(
                "%(record)s cannot move from the Metakocka status %(current)s to %(target)s. Allowed: %(allowed)s.",
                record=record.display_name, current=self.display_name, target=target.display_name,
                allowed=", ".join(self.next_status_ids.mapped("display_name")) or self.env._("none")))

    @api.model
    def _seed_default_register(self, companies):
        """Metakocka's default register and transitions for companies that have no register yet."""
        for company in companies:
            if self.sudo().with_context(active_test=False).search_count([("company_id", "=", company.id)]):
                continue
            created = {code: self.sudo().create({"company_id": company.id, "sequence": 10 * position, "code": code,
                                                 "name": name, "meaning": meaning})
                       for position, (code, name, meaning, _next) in enumerate(DEFAULT_REGISTER, start=1)}
            for code, _name, _meaning, next_codes in DEFAULT_REGISTER:
                created[code].next_status_ids = [fields.Command.set([created[next_code].id for next_code in next_codes])]

    @api.model
    def _adopt_old_status_codes(self):
        """Before 18.0.0.2.0 a company named its statuses of confirmed, locked and cancelled orders in
        three fields: each code becomes (or stays) in the register, first of its meaning (a locked order's
        status, ``completed`` by default, as "completed")."""
        companies = self.env["res.company"].search([])
        self._seed_default_register(companies)
        for column, meaning in (("metakocka_status_confirmed", "confirmed"), ("metakocka_status_done", "completed"),
                                ("metakocka_status_cancel", "cancelled")):
            if not column_exists(self.env.cr, "res_company", column):
                continue
            self.env.cr.execute(SQL("SELECT id, TRIM(%s) FROM res_company WHERE COALESCE(TRIM(%s), '') != ''",
                                    SQL.identifier(column), SQL.identifier(column)))
            for company_id, code in self.env.cr.fetchall():
                company = companies.browse(company_id)
                status = self._by_code(company, code) or self.sudo().create(
                    {"company_id": company_id, "code": code, "name": code, "meaning": meaning})
                status.write({"meaning": meaning, "sequence": 0, "active": True})
