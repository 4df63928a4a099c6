from odoo import api, fields, models
from odoo.exceptions import ValidationError

DOC_TYPES = [
    ("sales_offer", "Offer"),
    ("sales_order", "Sales order"),
    ("sales_bill_domestic", "Domestic bill"),
    ("sales_bill_foreign", "Foreign bill"),
    ("sales_bill_credit_note", "Credit note"),
]


class MetakockaDocumentLink(models.Model):
    """A quotation, order or customer invoice and the Metakocka document it is kept in step with.

    A quotation sent as an offer and later confirmed as a sales order has two links, one per
    Metakocka document type.
    """

    _name = "metakocka.document.link"
    _inherit = "metakocka.link.mixin"
    _description = "Metakocka document link"

    sale_order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="cascade")
    move_id = fields.Many2one("account.move", index="btree_not_null", ondelete="cascade")
    doc_type = fields.Selection(DOC_TYPES, required=True)
    buyer_order = fields.Char(
        required=True, help="Our own key of the document in Metakocka, by which it is found again."
    )
    next_retry_at = fields.Datetime(copy=False, help="When the retry schedule tries a failed sync again.")
    retry_count = fields.Integer(copy=False)
    status_id = fields.Many2one("metakocka.order.status", string="Metakocka status", copy=False, ondelete="restrict",
                                help="The sales order's status in Metakocka, as last sent or seen.")
    status_changed_at = fields.Datetime("Status changed", copy=False)
    stock_shortage = fields.Text(copy=False, help="What was short of stock when the order was sent (the company's "
                                                  "stock check warns).")
    remote_fingerprint = fields.Char("Metakocka fingerprint",
        copy=False, help="Hash of the Metakocka document's partner and lines as they were at the last sync (sent or "
                         "imported): a document that differs was changed in Metakocka since.")
    odoo_fingerprint = fields.Char("Odoo fingerprint",
        copy=False, help="Hash of the Odoo record's customer and lines at the last sync: a record that differs was "
                         "changed in Odoo since.")
    edit_conflict = fields.Boolean(
        "Changed on both sides", copy=False,
        help="Changed in Odoo and in Metakocka since the last sync, and held for a person to choose which version "
             "stays; nothing is sent or imported for it until then.")

    _sql_constraints = [
        ("one_record", "CHECK ((sale_order_id IS NULL) != (move_id IS NULL))",
         "A Metakocka document link belongs to exactly one order or invoice."),
        ("order_doc_type_unique", "UNIQUE (sale_order_id, doc_type)",
         "This order is already linked to a Metakocka document of this type."),
        ("move_unique", "UNIQUE (move_id)", "This invoice is already linked to a Metakocka document."),
        ("mk_id_unique", "UNIQUE (company_id, mk_id)",
         "This Metakocka document is already linked to another Odoo record."),
    ]

    @api.depends("sale_order_id", "move_id", "doc_type")
    def _compute_display_name(self):
        for link in self:
            record = link.sale_order_id or link.move_id
            link.display_name = f"{record.display_name} → {link.count_code or link.mk_id or '?'}"

    @property
    def record(self):
        return self.sale_order_id or self.move_id

    @api.constrains("company_id", "sale_order_id", "move_id")
    def _check_company(self):
        for link in self:
            if link.record.company_id != link.company_id:
                raise ValidationError(self.env._(
                    "The Metakocka link of %(record)s must belong to its company.", record=link.record.display_name
                ))
