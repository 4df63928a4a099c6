from odoo import api, fields, models

from ..services.product_pull import NO_PUSH

#: The product fields Metakocka holds too: a change of one is sent to the linked Metakocka product.
PUSHED_FIELDS = {"name", "default_code", "barcode", "list_price", "lst_price", "uom_id", "type", "active"}


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

    # -- changes sent to Metakocka (services/product_push); what the connector writes itself is not sent back --

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        if not self.env.context.get(NO_PUSH):
            companies = self.env.companies.filtered(lambda c: c.metakocka_enabled and c.metakocka_push_new_products)
            for company in companies:
                own = products.filtered(lambda product, company=company: product.company_id in (company, company.browse()))
                self.env["metakocka.sync.run"].sudo()._queue_product_push(own, company, origin="product_change")
        return products

    def write(self, vals):
        result = super().write(vals)
        if PUSHED_FIELDS.intersection(vals) and not self.env.context.get(NO_PUSH):
            self._metakocka_queue_push()
        return result

    def _metakocka_queue_push(self):
        """Queue a push of the products linked in Metakocka-enabled companies (sent after this transaction)."""
        links = self.env["metakocka.product.link"].sudo().search([
            ("product_id", "in", self.ids), ("mk_id", "!=", False), ("company_id.metakocka_enabled", "=", True)])
        for company, company_links in links.grouped("company_id").items():
            self.env["metakocka.sync.run"].sudo()._queue_product_push(company_links.product_id, company)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if PUSHED_FIELDS.intersection(vals) and not self.env.context.get(NO_PUSH):
            self.with_context(active_test=False).product_variant_ids._metakocka_queue_push()
        return result
