from odoo import api, fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    metakocka_link_ids = fields.One2many("metakocka.product.link", "product_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user")
    metakocka_mk_id = fields.Char("Metakocka product id", compute="_compute_metakocka_link")

    @api.depends_context("company")
    @api.depends("metakocka_link_ids.mk_id")
    def _compute_metakocka_link(self):
        """The id of the current company's link, for whoever may read the product (see res.partner's)."""
        company = self.env.company
        for product in self:
            link = product.sudo().metakocka_link_ids.filtered(lambda link: link.company_id == company)[:1]
            product.metakocka_mk_id = link.mk_id
