from odoo import fields, models


class MetakockaPartnerLink(models.Model):
    """A contact and its Metakocka partner, per company (contacts may be shared between companies).

    Two fingerprints make the sync three-way: ``fingerprint`` is the shared state Metakocka held at the
    last sync, ``odoo_fingerprint`` the one the Odoo contact held. A side whose state still has its
    fingerprint did not change since; when both changed, the link waits for a person (needs review).
    Two are needed because Metakocka cannot clear a field through the API: after a push it may keep
    what Odoo no longer has, and that is no change of either side.
    """

    _name = "metakocka.partner.link"
    _inherit = "metakocka.link.mixin"
    _description = "Metakocka partner link"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    mk_address_id = fields.Char("Metakocka address id")
    mk_contact_id = fields.Char("Metakocka main contact id", copy=False,
                                help="The contact person whose email and phones are the contact's own.")
    odoo_fingerprint = fields.Char(copy=False, help="Hash of the Odoo contact's shared state at the last sync.")
    child_ids = fields.One2many("metakocka.partner.child", "link_id", string="Addresses and contact persons")

    _sql_constraints = [
        ("partner_unique", "UNIQUE (company_id, partner_id)", "This contact is already linked to a Metakocka partner."),
        ("mk_id_unique", "UNIQUE (company_id, mk_id)", "This Metakocka partner is already linked to another contact."),
    ]

    def _compute_display_name(self):
        for link in self:
            link.display_name = f"{link.partner_id.display_name} → {link.count_code or link.mk_id}"
