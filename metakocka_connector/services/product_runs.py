"""The work of one item of a catalogue run: pull a page of Metakocka products, or push one Odoo product."""

from .outcome import Outcome
from .product_pull import PAGE_SIZE, ProductPuller
from .product_push import ProductPusher


class ProductRunWork:
    """Does the items of one product run as its user, within its company (see :class:`~.run_work.RunWork`)."""

    #: Products a pull item asks for (Metakocka's most).
    page_size = PAGE_SIZE

    def __init__(self, run):
        self.env = run.env(user=run.user_id.id or run.env.uid, su=True, context=dict(
            run.env.context, allowed_company_ids=[run.company_id.id]))
        self.run = run.with_env(self.env)
        company = run.company_id.with_env(self.env)
        self._puller = ProductPuller(self.env, company) if run.operation == "product_pull" else None
        self._pusher = ProductPusher(self.env, company) if run.operation == "product_push" else None

    def prefetch(self, items):
        """Nothing to read ahead: a page is read in a few queries, a product push in one."""

    def __call__(self, item):
        item = item.with_env(self.env)
        if self._puller:
            return self._pull_page(item)
        product = self.env["product.product"].with_context(active_test=False).browse(item.res_id).exists()
        if not product:
            return Outcome("failed", self.env._("The product no longer exists."))
        return self._pusher.push(product)

    def _pull_page(self, item):
        """Pull the item's page; a full page queues the next one. Failed rows fail the item (retrying it
        pulls the page again, where the rows that went well cost nothing)."""
        result = self._puller.pull_page(item.page_offset, self.page_size)
        offset = item.page_offset + self.page_size
        Item = self.env["metakocka.sync.run.item"]
        if result.full and not Item.search_count([("run_id", "=", item.run_id.id), ("page_offset", "=", offset)]):
            Item.create({
                "run_id": item.run_id.id, "page_offset": offset,
                "record_name": self.env._("Products %(first)s–%(last)s", first=offset + 1,
                                          last=offset + self.page_size)})
        if result.errors:
            return Outcome("failed", "\n".join([result.summary(), *result.errors]))
        return Outcome(result.summary())
