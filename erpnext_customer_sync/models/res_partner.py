from odoo import api, fields, models

from ..services.mapper import CHILD_FIELDS, PARTNER_FIELDS
from .erpnext_customer_link import LINK_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    erpnext_link_ids = fields.One2many("erpnext.customer.link", "partner_id", string="ERPNext links")
    erpnext_id = fields.Char("ERPNext ID", compute="_compute_erpnext_link", search="_search_erpnext_id",
                             help="The ERPNext customer this contact is synced with (in the current company).")
    erpnext_state = fields.Selection(LINK_STATES, string="ERPNext sync", compute="_compute_erpnext_link")
    erpnext_link_id = fields.Many2one("erpnext.customer.link", compute="_compute_erpnext_link",
                                      string="ERPNext link")
    erpnext_last_sync = fields.Datetime("Last ERPNext sync", compute="_compute_erpnext_link")
    erpnext_synced = fields.Boolean("Synced with ERPNext", compute="_compute_erpnext_link",
                                    search="_search_erpnext_synced")

    @api.depends_context("company")
    @api.depends("erpnext_link_ids.erpnext_id", "erpnext_link_ids.company_id", "erpnext_link_ids.state",
                 "erpnext_link_ids.last_sync_at")
    def _compute_erpnext_link(self):
        company = self.env.company
        for partner in self:
            link = partner.sudo().erpnext_link_ids.filtered(lambda link: link.company_id == company)[:1]
            partner.erpnext_link_id = link.id
            partner.erpnext_id = link.erpnext_id
            partner.erpnext_synced = bool(link.erpnext_id) and link.state != "deleted"
            partner.erpnext_state = link.state
            partner.erpnext_last_sync = link.last_sync_at

    def _search_erpnext_id(self, operator, value):
        links = self.env["erpnext.customer.link"].sudo()._search(
            [("company_id", "=", self.env.company.id), ("erpnext_id", operator, value)])
        return [("id", "in", links.subselect("partner_id"))]

    def _search_erpnext_synced(self, operator, value):
        links = self.env["erpnext.customer.link"].sudo()._search(
            [("company_id", "=", self.env.company.id), ("erpnext_id", "!=", False), ("state", "!=", "deleted")])
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", links.subselect("partner_id"))]

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get("erpnext_sync") and (vals.keys() & set(PARTNER_FIELDS) or (
                vals.keys() & set(CHILD_FIELDS))):
            self._erpnext_mark_changed(vals)
        return result

    def _erpnext_mark_changed(self, vals):
        """A synced field changed in Odoo: the link waits to send it (when the company syncs both ways)."""
        Link = self.env["erpnext.customer.link"].sudo()
        domain = [("partner_id", "in", self.ids)] if vals.keys() & set(PARTNER_FIELDS) else []
        if vals.keys() & set(CHILD_FIELDS):
            domain = ["|", ("contact_partner_id", "in", self.ids), *domain] if domain else [
                ("contact_partner_id", "in", self.ids)]
        links = Link.search(domain).filtered(lambda link: link.company_id.erpnext_direction == "both"
                                             and link.company_id.erpnext_enabled)
        if not links:
            return
        now = fields.Datetime.now()
        links.filtered(lambda link: link.state in ("synced", "warning", "error")).write(
            {"state": "pending", "local_changed_at": now})
        links.filtered(lambda link: link.state in ("pending", "conflict")).write({"local_changed_at": now})
        cron = self.env.ref("erpnext_customer_sync.ir_cron_process_runs", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(now)

    def action_erpnext_pull(self):
        """The contacts list's "Sync from ERPNext" button."""
        return self.env["erpnext.sync.run"]._action_pull()

    def action_erpnext_push(self):
        return self.env["erpnext.sync.run"]._action_push(self)

    def action_erpnext_open_link(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "erpnext.customer.link", "res_id": self.erpnext_link_id.id,
                "view_mode": "form", "name": self.env._("ERPNext link")}
