from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_API_URL = "https://main.metakocka.si"


class ResCompany(models.Model):
    _inherit = "res.company"

    metakocka_enabled = fields.Boolean("Metakocka sync enabled")
    metakocka_api_url = fields.Char("Metakocka API URL", default=DEFAULT_API_URL, groups="base.group_system")
    metakocka_company_id = fields.Char("Metakocka company id", groups="base.group_system")
    metakocka_secret_key = fields.Char("Metakocka secret key", groups="base.group_system")
    metakocka_quotation_doc_type = fields.Selection(
        [("sales_offer", "Offer"), ("none", "Do not send quotations")],
        string="Quotations become", default="sales_offer", required=True,
    )
    metakocka_order_doc_type = fields.Selection(
        [("sales_order", "Sales order"), ("sales_offer", "Offer")],
        string="Confirmed orders become", default="sales_order", required=True,
    )
    metakocka_invoice_doc_type = fields.Selection(
        [
            ("auto", "Domestic or foreign bill, by the customer's country"),
            ("sales_bill_domestic", "Domestic bill"),
            ("sales_bill_foreign", "Foreign bill"),
        ],
        string="Customer invoices become", default="auto", required=True,
    )
    metakocka_warehouse_map_ids = fields.One2many(
        "metakocka.warehouse.map", "company_id", string="Metakocka warehouses",
        help="Which Metakocka warehouse each Odoo warehouse's orders reserve stock in.",
    )
    metakocka_stock_master = fields.Selection(
        [("odoo", "Odoo"), ("metakocka", "Metakocka")], string="Stock is kept in", default="odoo", required=True,
        help="Where availability is read before an order is sent, and which way stock levels flow.",
    )
    metakocka_stock_check = fields.Selection(
        [("block", "Do not send an order short of stock"), ("warn", "Send it, marked with the shortage"),
         ("off", "Do not check")],
        string="Stock check before sending", default="warn", required=True,
        help="Storable lines of an order are checked against the free stock of the order's warehouse before "
             "the order is first sent to Metakocka. Services and kits are not checked.",
    )
    metakocka_tracking_without_invoice = fields.Selection(
        [("wait", "Send it once the invoice is in Metakocka"), ("create_invoice", "Create the invoice in Metakocka")],
        string="Tracking number before the invoice", default="wait", required=True,
        help="Metakocka takes a tracking number only on an order that has an invoice. Wait: the number is kept "
             "and sent once the order's invoice reaches Metakocka (invoices made in Odoo). Create: Metakocka makes "
             "the invoice from the order (only when invoices are made in Metakocka, not in Odoo).",
    )
    metakocka_order_status_ids = fields.One2many("metakocka.order.status", "company_id",
                                                 string="Metakocka order statuses")
    metakocka_push_on_confirm = fields.Boolean(
        "Send orders when confirmed", help="Queue a sync to Metakocka as soon as an order is confirmed."
    )
    metakocka_pull_enabled = fields.Boolean(
        "Pull changed orders", help="The scheduled pull imports Metakocka sales orders changed since the last pull."
    )
    metakocka_share_records = fields.Boolean(
        "Share customers and products from Metakocka with all companies",
        help="On: the customers and products an import creates belong to no company, so every company sees them. "
        "Off: they belong to the company that imported them.",
    )
    metakocka_pull_cursor = fields.Char(
        "Last pull reached", readonly=True, groups="base.group_system",
        help="Metakocka's own clock (last_change_ts) of the newest change the pull has seen.",
    )
    metakocka_edit_conflict = fields.Selection(
        [("hold", "Hold for review"), ("odoo", "Odoo wins"), ("metakocka", "Metakocka wins")],
        string="Changed on both sides", default="hold", required=True,
        help="What a sync does with a linked order changed in Odoo and in Metakocka since the last sync: hold it "
             "for a person to choose, send Odoo's version over Metakocka's, or take Metakocka's version into Odoo.",
    )

    metakocka_product_schedule = fields.Boolean(
        "Pull the product catalogue every day",
        help="The scheduled action brings Metakocka's catalogue into Odoo's products once a day (unchanged "
             "products cost no write).")
    metakocka_push_new_products = fields.Boolean(
        "Send new products to Metakocka",
        help="On: a product created in Odoo is added to Metakocka's catalogue (or linked to the product with its "
             "code) in the background. Off: new products reach Metakocka when a document needs them.",
    )

    def _compute_metakocka_stock_synced_at(self):
        Run = self.env["metakocka.sync.run"].sudo()
        for company in self:
            run = Run.search([("company_id", "=", company.id), ("operation", "in", ("stock_pull", "stock_push")),
                              ("state", "=", "done"), ("failed_count", "=", 0)], order="finished_at desc", limit=1)
            company.metakocka_stock_synced_at = run.finished_at

    # -- customers both ways (services/partner_pull, services/partner_push) -------------------------
    metakocka_push_new_partners = fields.Boolean(
        "Send new customers to Metakocka",
        help="On: a contact created in Odoo without a parent (not a supplier only, not a user's or company's) is "
             "looked up in Metakocka by VAT number, email and name, and added there when not found, in the "
             "background. Off: new customers reach Metakocka when a document needs them, or on demand.",
    )
    metakocka_partner_schedule = fields.Boolean(
        "Reconcile customers daily",
        help="The scheduled action pulls Metakocka's whole partner register once a day and compares it with the "
             "linked contacts; nothing is written where nothing changed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["metakocka.order.status"]._seed_default_register(companies)
        return companies

    # -- stock levels both ways, and Metakocka's stock webhook -------------------------------
    metakocka_api_user_email = fields.Char(
        "Metakocka API user email",
        help="The email of a Metakocka user: Metakocka needs it to write stock levels (sync_stock).")
    metakocka_stock_schedule = fields.Boolean(
        "Keep stock levels in step on a schedule",
        help="The scheduled action brings stock levels from the stock master to the other side: Metakocka's "
             "into Odoo's warehouses, or Odoo's into Metakocka's.")
    metakocka_stock_synced_at = fields.Datetime("Stock levels last in step", compute="_compute_metakocka_stock_synced_at",
                                                help="When the last stock run ended with every warehouse in step.")
    metakocka_webhook_secret = fields.Char(
        "Metakocka webhook client secret", groups="base.group_system", copy=False,
        help="The client secret of Metakocka's stock webhook (Metakocka → API → WebHooks) that calls this company.")

    # -- payments of invoices sent to Metakocka (see services/payment_status, payment_register, payment_send) --
    metakocka_payment_read = fields.Boolean(
        "Read invoice payments from Metakocka",
        help="The scheduled action reads what Metakocka knows of the payment of the invoices sent there (paid "
             "amount, paid in full, last payment date) until each is paid in full.")
    metakocka_payment_register = fields.Boolean(
        "Register Metakocka's payments in Odoo",
        help="What Metakocka shows as paid and Odoo does not have from Metakocka yet is registered as a payment "
             "of the invoice in the chosen journal, so that its payment status follows.")
    metakocka_payment_journal_id = fields.Many2one(
        "account.journal", string="Journal of Metakocka's payments",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', id)]",
        help="The bank or cash journal the payments read from Metakocka are registered in.")
    metakocka_payment_send = fields.Boolean(
        "Send payments registered in Odoo",
        help="A payment registered in Odoo on an invoice in Metakocka is added there (put_transaction) after it "
             "is saved.")
    metakocka_payment_type = fields.Char(
        "Metakocka payment type", default="Transakcijski račun",
        help="The value (Vrednost) of Metakocka's register \"Vrsta plačila\" the payments sent from Odoo get, "
             "e.g. Transakcijski račun. Cash and card types need a fiscal cash register in Metakocka.")
    metakocka_payments_requested = fields.Boolean("Invoice payments to read", readonly=True, copy=False)
    metakocka_payments_read_at = fields.Datetime("Invoice payments last read", readonly=True, copy=False)

    @api.constrains("metakocka_payment_register", "metakocka_payment_journal_id")
    def _check_metakocka_payment_journal(self):
        for company in self:
            journal = company.metakocka_payment_journal_id
            if company.metakocka_payment_register and not journal:
                raise ValidationError(self.env._(
                    "%(company)s registers Metakocka's payments: choose the bank or cash journal they go to "
                    "(Settings → Metakocka → Invoice payments).", company=company.name))
            if journal and (journal.type not in ("bank", "cash") or journal.company_id != company):
                raise ValidationError(self.env._(
                    "The journal of Metakocka's payments of %(company)s must be a bank or cash journal of that "
                    "company; %(journal)s is not.", company=company.name, journal=journal.display_name))

    @api.constrains("metakocka_payment_send", "metakocka_payment_type")
    def _check_metakocka_payment_type(self):
        for company in self:
            if company.metakocka_payment_send and not (company.metakocka_payment_type or "").strip():
                raise ValidationError(self.env._(
                    "%(company)s sends payments to Metakocka: enter the Metakocka payment type (a value of its "
                    "register \"Vrsta plačila\", e.g. Transakcijski račun).", company=company.name))
