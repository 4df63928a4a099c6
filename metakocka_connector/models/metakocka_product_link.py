from odoo import fields, models


class MetakockaProductLink(models.Model):
    """A product variant and its Metakocka catalogue product (matched by the internal reference)."""

    _name = "metakocka.product.link"
    _inherit = "metakocka.link.mixin"
    _description = "Metakocka product link"

    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade")
    mk_unit = fields.Char("Metakocka unit", copy=False, help="The unit Metakocka had at the last sync.")
    mk_uom_id = fields.Many2one("uom.uom", "Unit of measure at the last sync", copy=False, ondelete="set null",
                                help="While the product keeps this unit of measure, a push sends the Metakocka unit.")

    _sql_constraints = [
        ("product_unique", "UNIQUE (company_id, product_id)", "This product is already linked to a Metakocka product."),
        ("mk_id_unique", "UNIQUE (company_id, mk_id)", "This Metakocka product is already linked to another product."),
    ]

    def _compute_display_name(self):
        for link in self:
            link.display_name = f"{link.product_id.display_name} → {link.count_code or link.mk_id}"
