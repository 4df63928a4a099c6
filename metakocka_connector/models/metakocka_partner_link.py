from odoo import fields, models


class MetakockaPartnerLink(models.Model):
    """A contact and its Metakocka partner, per company (contacts may be shared between companies)."""

    _name = "metakocka.partner.link"
    _inherit = "metakocka.link.mixin"
    _description = "Metakocka partner link"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    mk_address_id = fields.Char("Metakocka address id")

    _sql_constraints = [
        ("partner_unique", "UNIQUE (company_id, partner_id)", "This contact is already linked to a Metakocka partner."),
        ("mk_id_unique", "UNIQUE (company_id, mk_id)", "This Metakocka partner is already linked to another contact."),
    ]

    def _compute_display_name(self):
        for link in self:
            link.display_name = f"{link.partner_id.display_name} → {link.count_code or link.mk_id}"
