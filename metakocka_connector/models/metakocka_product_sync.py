from odoo import api, fields, models

from ..services.product_runs import ProductRunWork

PRODUCT_OPERATIONS = ("product_pull", "product_push")


class MetakockaSyncRun(models.Model):
    """Catalogue runs: a product pull works a page of Metakocka's catalogue an item (it adds the next page
    while pages come full, for Metakocka gives no total); a product push sends a product an item."""

    _inherit = "metakocka.sync.run"

    operation = fields.Selection(selection_add=[("product_pull", "Pull products from Metakocka"),
                                                ("product_push", "Send products to Metakocka")],
                                 ondelete={"product_pull": "cascade", "product_push": "cascade"})
    origin = fields.Selection(selection_add=[("product_change", "Product changed in Odoo"),
                                             ("settings", "Settings")],
                              ondelete={"product_change": "set default", "settings": "set default"})

    @api.model
    def _queue_product_pull(self, company, origin="settings"):
        """A catalogue pull for ``company`` (the one already waiting or running, if there is one)."""
        waiting = self.search([("company_id", "=", company.id), ("operation", "=", "product_pull"),
                               ("state", "in", ("queued", "running"))], limit=1)
        return waiting or self._queue(company, "product_pull", origin, [
            {"page_offset": 0, "record_name": self.env._("Products 1–%(last)s", last=ProductRunWork.page_size)},
        ], self.env._("Pull the Metakocka product catalogue"))

    @api.model
    def _queue_product_push(self, products, company, origin="product_change"):
        """A push run of ``products`` for ``company``, leaving out those already waiting to be sent."""
        waiting = self.env["metakocka.sync.run.item"].sudo().search([
            ("company_id", "=", company.id), ("run_id.operation", "=", "product_push"), ("state", "=", "queued"),
            ("res_model", "=", "product.product"), ("res_id", "in", products.ids)])
        products -= products.browse(waiting.mapped("res_id"))
        return self._queue(company, "product_push", origin, [
            {"res_model": "product.product", "res_id": product.id, "record_name": product.display_name}
            for product in products
        ], self.env._("Send %(count)s products to Metakocka", count=len(products)))

    @api.model
    def _workers_for(self, items):
        product_items = items.filtered(lambda item: item.run_id.operation in PRODUCT_OPERATIONS)
        workers = super()._workers_for(items - product_items)
        for run in product_items.run_id:
            workers[run.id] = ProductRunWork(run)
        return workers

    @api.model
    def _action_pull_products(self):
        """The "Pull products now" button: a background run for the current company, then its form."""
        return self._open_runs(self._queue_product_pull(self.env.company))

    def action_pull_products_now(self):
        """The "Pull products now" button of the product syncs' list."""
        return self._action_pull_products()


class MetakockaSyncRunItem(models.Model):
    _inherit = "metakocka.sync.run.item"

    page_offset = fields.Integer(help="A catalogue pull: the first product of the page this item pulls.")


class MetakockaScheduler(models.AbstractModel):
    _inherit = "metakocka.scheduler"

    @api.model
    def _cron_pull_products(self):
        """Queue a catalogue pull for every company that asked for a daily one."""
        Run = self.env["metakocka.sync.run"].sudo()
        for company in self._enabled_companies().filtered("metakocka_product_schedule"):
            Run._queue_product_pull(company, origin="schedule")
