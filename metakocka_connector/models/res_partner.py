from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    metakocka_link_ids = fields.One2many("metakocka.partner.link", "partner_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user")
    metakocka_mk_id = fields.Char("Metakocka partner id", compute="_compute_metakocka_link")
    metakocka_count_code = fields.Char("Metakocka partner code", compute="_compute_metakocka_link")

    @api.depends_context("company")
    @api.depends("metakocka_link_ids.mk_id", "metakocka_link_ids.count_code")
    def _compute_metakocka_link(self):
        """The id and code of the current company's link, for whoever may read the contact.

        The links are read with sudo (only Metakocka users may read links), and only the current
        company's is used: a salesman opening a customer gets no access error, and sees no other
        company's Metakocka partner.
        """
        company = self.env.company
        for partner in self:
            link = partner.sudo().metakocka_link_ids.filtered(lambda link: link.company_id == company)[:1]
            partner.metakocka_mk_id = link.mk_id
            partner.metakocka_count_code = link.count_code
