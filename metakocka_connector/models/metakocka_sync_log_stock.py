from odoo import fields, models


class MetakockaSyncLog(models.Model):
    _inherit = "metakocka.sync.log"

    operation = fields.Selection(selection_add=[("stock", "Stock levels")], ondelete={"stock": "cascade"})
