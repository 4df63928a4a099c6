from odoo import api, fields, models

from ..services.connection import INTERACTIVE
from ..services.outcome import Outcome
from ..services.partner_pull import NO_PUSH, PartnerPuller
from ..services.partner_push import PartnerPusher

#: The contact fields Metakocka holds too: a change of one (of a linked contact or of its child contacts)
#: is sent to the linked Metakocka partner.
PUSHED_FIELDS = {"name", "vat", "company_registry", "is_company", "street", "street2", "zip", "city", "state_id",
                 "country_id", "email", "phone", "mobile", "type", "parent_id", "active"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "metakocka.linked.mixin"]

    metakocka_link_ids = fields.One2many("metakocka.partner.link", "partner_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user")
    metakocka_mk_id = fields.Char("Metakocka partner id")
    metakocka_count_code = fields.Char("Metakocka partner code")

    # -- changes sent to Metakocka (services/partner_push); what the connector writes itself is not sent back --
    #
    # New customers are sent when the company chooses it: contacts created without a parent, active, and not
    # created as suppliers only (a supplier rank without a customer rank). The contacts of users and of
    # companies are refused when the push runs (Odoo creates a user's contact before the user).

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get(NO_PUSH):
            partners.filtered("parent_id")._metakocka_queue_push()
            partners._metakocka_queue_new()
        return partners

    def write(self, vals):
        old_parents = self.parent_id if "parent_id" in vals else self.browse()
        result = super().write(vals)
        if "parent_id" in vals:
            self._metakocka_forget_moved_children()
        if PUSHED_FIELDS.intersection(vals) and not self.env.context.get(NO_PUSH):
            (self | old_parents)._metakocka_queue_push()
        return result

    def _metakocka_queue_push(self):
        """Queue a push of the linked commercial entities of these contacts (sent after this transaction)."""
        links = self.env["metakocka.partner.link"].sudo().search([
            ("partner_id", "in", self.commercial_partner_id.ids), ("mk_id", "!=", False),
            ("company_id.metakocka_enabled", "=", True)])
        for company, company_links in links.grouped("company_id").items():
            self.env["metakocka.sync.run"].sudo()._queue_partner_push(company_links.partner_id, company)

    def _metakocka_queue_new(self):
        companies = self.env.companies.filtered(lambda c: c.metakocka_enabled and c.metakocka_push_new_partners)
        customers = self.filtered(lambda partner: not partner.parent_id and partner.active
                                  and not (partner.supplier_rank and not partner.customer_rank))
        for company in companies:
            own = customers.filtered(lambda partner, company=company: partner.company_id in (company, company.browse()))
            if own:
                self.env["metakocka.sync.run"].sudo()._queue_partner_push(own, company, origin="partner_change")

    def _metakocka_forget_moved_children(self):
        """A child moved to another parent is no longer its old parent's address or contact person."""
        entries = self.env["metakocka.partner.child"].sudo().search([("partner_id", "in", self.ids)])
        entries.filtered(lambda entry: entry.partner_id.parent_id != entry.link_id.partner_id).unlink()

    # -- buttons ---------------------------------------------------------------------------------

    def action_metakocka_sync(self):
        """"Sync with Metakocka": send now (or find or add) and tell what happened."""
        company = self._metakocka_company()
        pusher = PartnerPusher(self.env, company, client_options=INTERACTIVE)
        return self._metakocka_notify([(partner, pusher.push(partner)) for partner in self.commercial_partner_id])

    def action_metakocka_send_odoo_data(self):
        """"Send Odoo's data": Odoo's contact over Metakocka's partner, also while it waits for review."""
        company = self._metakocka_company()
        pusher = PartnerPusher(self.env, company, client_options=INTERACTIVE)
        outcomes = [(partner, pusher.push(partner, force=True)) for partner in self.commercial_partner_id]
        return self._metakocka_notify(outcomes)

    def action_metakocka_take_metakocka_data(self):
        """"Take Metakocka's data": Metakocka's partner into the linked contact, whatever Odoo holds."""
        company = self._metakocka_company()
        puller = PartnerPuller(self.env, company, client_options=INTERACTIVE)
        outcomes = []
        for partner in self.commercial_partner_id:
            link = partner._metakocka_link()
            outcome = puller.take_metakocka(link) if link.mk_id else None
            outcomes.append((partner, outcome or _not_linked(partner)))
        return self._metakocka_notify(outcomes)


def _not_linked(partner):
    return Outcome("failed", partner.env._("%(partner)s is not linked to a Metakocka partner.",
                                           partner=partner.display_name))
