from odoo import fields, models


class MetakockaPartnerChild(models.Model):
    """A child contact of a linked contact and its Metakocka address or contact person.

    Metakocka gives each delivery address and contact person an id of its own; keeping it lets a pull
    update the same Odoo child instead of adding another, and a push send the entry with its ``mk_id``
    (update_partner adds every entry without one). The partner link's unique Metakocka id cannot hold
    them, hence this small model.
    """

    _name = "metakocka.partner.child"
    _description = "Metakocka address or contact person"

    link_id = fields.Many2one("metakocka.partner.link", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="link_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", "Odoo child contact", required=True, index=True, ondelete="cascade")
    kind = fields.Selection([("address", "Address"), ("contact", "Contact person")], required=True)
    mk_id = fields.Char("Metakocka id", required=True)
    address_type = fields.Char("Metakocka address type", help="Dobava, Poslovna enota … as Metakocka has it.")
    mk_address_id = fields.Char("Metakocka address of the contact person")

    _sql_constraints = [
        ("mk_id_unique", "UNIQUE (link_id, mk_id)", "This Metakocka address or contact is linked twice."),
        ("partner_unique", "UNIQUE (link_id, partner_id)", "This child contact is linked twice."),
    ]
