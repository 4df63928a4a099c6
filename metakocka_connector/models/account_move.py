from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "metakocka.synced.mixin"]

    _metakocka_link_column = "move_id"

    metakocka_link_ids = fields.One2many("metakocka.document.link", "move_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user", copy=False)
