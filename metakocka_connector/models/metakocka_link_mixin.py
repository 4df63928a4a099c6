from odoo import fields, models

SYNC_STATES = [
    ("not_synced", "Not synced"),
    ("pending", "Pending"),
    ("synced", "Synced"),
    ("error", "Error"),
    ("needs_review", "Needs review"),
]
DIRECTIONS = [("push", "Odoo → Metakocka"), ("pull", "Metakocka → Odoo")]


class MetakockaLinkMixin(models.AbstractModel):
    """What every link between an Odoo record and a Metakocka record keeps.

    The concrete links add the Odoo record as a real foreign key (deleted with the record) and the
    database constraints that make a second link impossible.
    """

    _name = "metakocka.link.mixin"
    _description = "Metakocka link"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    mk_id = fields.Char("Metakocka id", index=True, copy=False)
    count_code = fields.Char("Metakocka number", copy=False)
    state = fields.Selection(SYNC_STATES, default="not_synced", required=True, index=True, copy=False)
    last_sync_at = fields.Datetime("Last sync", copy=False)
    last_error = fields.Text(copy=False)
    fingerprint = fields.Char(
        copy=False, help="Hash of what was last sent or seen; an unchanged record is not sent again."
    )
    last_direction = fields.Selection(DIRECTIONS, copy=False)
