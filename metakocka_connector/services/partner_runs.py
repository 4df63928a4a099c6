"""The work of one item of a customer run: pull a page of Metakocka's partner register, or push one contact."""

from .outcome import Outcome
from .partner_pull import PAGE_SIZE, PartnerPuller
from .partner_push import PartnerPusher


class PartnerRunWork:
    """Does the items of one customer run as its user, within its company (see :class:`~.run_work.RunWork`)."""

    #: Partners a pull item asks for (Metakocka's most).
    page_size = PAGE_SIZE

    def __init__(self, run):
        self.env = run.env(user=run.user_id.id or run.env.uid, su=True, context=dict(
            run.env.context, allowed_company_ids=[run.company_id.id]))
        company = run.company_id.with_env(self.env)
        self._puller = PartnerPuller(self.env, company) if run.operation == "partner_pull" else None
        self._pusher = PartnerPusher(self.env, company) if run.operation == "partner_push" else None

    def prefetch(self, items):
        """Nothing to read ahead: a page is read in a few queries, a contact's push in a few more."""

    def __call__(self, item):
        item = item.with_env(self.env)
        if self._puller:
            return self._pull_page(item)
        partner = self.env["res.partner"].with_context(active_test=False).browse(item.res_id).exists()
        if not partner:
            return Outcome("failed", self.env._("The contact no longer exists."))
        return self._pusher.push(partner)

    def _pull_page(self, item):
        """Pull the item's page; a full page queues the next one. Failed rows fail the item (retrying it
        pulls the page again, where the rows that went well cost nothing)."""
        result = self._puller.pull_page(item.page_offset, self.page_size)
        offset = item.page_offset + self.page_size
        Item = self.env["metakocka.sync.run.item"]
        if result.full and not Item.search_count([("run_id", "=", item.run_id.id), ("page_offset", "=", offset)]):
            Item.create({
                "run_id": item.run_id.id, "page_offset": offset,
                "record_name": self.env._("Partners %(first)s–%(last)s", first=offset + 1,
                                          last=offset + self.page_size)})
        if result.errors:
            return Outcome("failed", "\n".join([result.summary(), *result.errors]))
        return Outcome(result.summary())
