from odoo import fields, models


class ErpnextCreateAttempt(models.Model):
    """A Customer create about to be sent to ERPNext, noted in its own committed transaction.

    If the sync's transaction is lost after ERPNext created the customer (a crash, a failure after
    the create), this note survives, and the next push of the contact looks for the customer before
    it would create another ("Name - 1"). See ``services/create_guard``.
    """

    _name = "erpnext.create.attempt"
    _description = "ERPNext create attempt"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    attempted_at = fields.Datetime(required=True)

    _sql_constraints = [
        ("attempt_unique", "UNIQUE (company_id, partner_id)", "One note per contact is enough."),
    ]
