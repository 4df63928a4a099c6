from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    metakocka_tax_code = fields.Char(
        "Metakocka tax code",
        help="The company's Metakocka tax code for this tax (for example EX4 or 095). Empty: lines are sent "
             "with the tax rate as a factor, which Metakocka matches to its own tax.",
    )
