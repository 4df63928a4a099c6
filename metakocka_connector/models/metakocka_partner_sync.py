from odoo import api, fields, models

from ..services.partner_runs import PartnerRunWork

PARTNER_OPERATIONS = ("partner_pull", "partner_push")


class MetakockaSyncRun(models.Model):
    """Customer runs: a customer pull works a page of Metakocka's partner register an item (it adds the next
    page while pages come full, for Metakocka gives no total); a customer push sends a contact an item."""

    _inherit = "metakocka.sync.run"

    operation = fields.Selection(selection_add=[("partner_pull", "Pull customers from Metakocka"),
                                                ("partner_push", "Send customers to Metakocka")],
                                 ondelete={"partner_pull": "cascade", "partner_push": "cascade"})
    origin = fields.Selection(selection_add=[("partner_change", "Contact changed in Odoo")],
                              ondelete={"partner_change": "set default"})

    @api.model
    def _queue_partner_pull(self, company, origin="settings"):
        """A customer pull for ``company`` (the one already waiting or running, if there is one)."""
        waiting = self.search([("company_id", "=", company.id), ("operation", "=", "partner_pull"),
                               ("state", "in", ("queued", "running"))], limit=1)
        return waiting or self._queue(company, "partner_pull", origin, [
            {"page_offset": 0, "record_name": self.env._("Partners 1–%(last)s", last=PartnerRunWork.page_size)},
        ], self.env._("Pull the Metakocka partner register"))

    @api.model
    def _queue_partner_push(self, partners, company, origin="partner_change"):
        """A push run of ``partners`` for ``company``, leaving out those already waiting to be sent."""
        waiting = self.env["metakocka.sync.run.item"].sudo().search([
            ("company_id", "=", company.id), ("run_id.operation", "=", "partner_push"), ("state", "=", "queued"),
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)])
        partners -= partners.browse(waiting.mapped("res_id"))
        return self._queue(company, "partner_push", origin, [
            {"res_model": "res.partner", "res_id": partner.id, "record_name": partner.display_name}
            for partner in partners
        ], self.env._("Send %(count)s customers to Metakocka", count=len(partners)))

    @api.model
    def _workers_for(self, items):
        partner_items = items.filtered(lambda item: item.run_id.operation in PARTNER_OPERATIONS)
        workers = super()._workers_for(items - partner_items)
        for run in partner_items.run_id:
            workers[run.id] = PartnerRunWork(run)
        return workers

    @api.model
    def _action_pull_partners(self):
        """The "Pull customers now" button: a background run for the current company, then its form."""
        return self._open_runs(self._queue_partner_pull(self.env.company))

    def action_pull_partners_now(self):
        """The "Pull customers now" button of the customer syncs' list."""
        return self._action_pull_partners()

    @api.model
    def _action_push_partners(self, partners):
        """The contacts list's "Send to Metakocka": their commercial entities in a background run."""
        run = self._queue_partner_push(partners.commercial_partner_id, self.env.company, origin="selection")
        if not run:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": self.env._("Metakocka"), "type": "info",
                "message": self.env._("These contacts are already waiting to be sent.")}}
        return self._open_runs(run)


class MetakockaScheduler(models.AbstractModel):
    _inherit = "metakocka.scheduler"

    @api.model
    def _cron_pull_partners(self):
        """Queue a customer pull (a reconciliation of the whole register) for every company that asks for it."""
        Run = self.env["metakocka.sync.run"].sudo()
        for company in self._enabled_companies().filtered("metakocka_partner_schedule"):
            Run._queue_partner_pull(company, origin="schedule")
