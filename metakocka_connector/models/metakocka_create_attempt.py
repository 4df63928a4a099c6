from odoo import fields, models


class MetakockaCreateAttempt(models.Model):
    """A create about to be sent to Metakocka, noted in its own committed transaction.

    If the sync's transaction is lost after Metakocka created the document (a crash, a lost
    connection to PostgreSQL), this note survives, and the next push of the record looks the
    document up by its ``buyer_order`` before it would create another. See ``services/create_guard``.
    """

    _name = "metakocka.create.attempt"
    _description = "Metakocka create attempt"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    doc_type = fields.Char(required=True)
    buyer_order = fields.Char(required=True)
    attempted_at = fields.Datetime(required=True)

    _sql_constraints = [
        ("attempt_unique", "UNIQUE (company_id, doc_type, buyer_order)", "One note per document is enough."),
    ]
