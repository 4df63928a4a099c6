from odoo import api, fields, models

from ..services.connection import INTERACTIVE
from .metakocka_link_mixin import SYNC_STATES
from .metakocka_linked_mixin import USER_GROUP
from ..services.product_pull import NO_PUSH
from ..services.product_push import ProductPusher

#: The product fields Metakocka holds too: a change of one is sent to the linked Metakocka product.
PUSHED_FIELDS = {"name", "default_code", "barcode", "list_price", "lst_price", "uom_id", "type", "active"}


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "metakocka.linked.mixin"]

    metakocka_link_ids = fields.One2many("metakocka.product.link", "product_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user")
    metakocka_mk_id = fields.Char("Metakocka product id")

    def action_metakocka_sync(self):
        """"Sync with Metakocka": send now (a linked product's changes, or a new one found or added)."""
        company = self._metakocka_company()
        pusher = ProductPusher(self.env, company, client_options=INTERACTIVE)
        return self._metakocka_notify([(product, pusher.push(product)) for product in self])

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
    """A product with one variant shows that variant's Metakocka link on its form; lists filter on the variants'."""

    _inherit = "product.template"

    # Computed from the variants rather than related to ``product_variant_id``, which is not searchable and
    # so cannot be a dependency.
    metakocka_mk_id = fields.Char("Metakocka id", compute="_compute_metakocka_variant_link")
    metakocka_count_code = fields.Char("Metakocka number", compute="_compute_metakocka_variant_link")
    metakocka_link_state = fields.Selection(SYNC_STATES, string="Metakocka status",
                                            compute="_compute_metakocka_variant_link", groups=USER_GROUP)
    metakocka_last_sync_at = fields.Datetime("Last Metakocka sync", compute="_compute_metakocka_variant_link",
                                             groups=USER_GROUP)
    metakocka_last_error = fields.Text("Metakocka error", compute="_compute_metakocka_variant_link",
                                       groups=USER_GROUP)

    @api.depends_context("company")
    @api.depends("product_variant_ids.metakocka_mk_id", "product_variant_ids.metakocka_count_code")
    def _compute_metakocka_variant_link(self):
        """The first variant's link (the form shows it for a product with one variant)."""
        for template in self:
            variant = template.product_variant_ids[:1]
            link = variant._metakocka_link() if variant else self.env["metakocka.product.link"]
            template.metakocka_mk_id = link.mk_id
            template.metakocka_count_code = link.count_code
            template.metakocka_link_state = link.state or "not_synced"
            template.metakocka_last_sync_at = link.last_sync_at
            template.metakocka_last_error = link.last_error

    def action_metakocka_sync(self):
        return self.product_variant_ids.action_metakocka_sync()

    def write(self, vals):
        result = super().write(vals)
        if PUSHED_FIELDS.intersection(vals) and not self.env.context.get(NO_PUSH):
            self.with_context(active_test=False).product_variant_ids._metakocka_queue_push()
        return result
