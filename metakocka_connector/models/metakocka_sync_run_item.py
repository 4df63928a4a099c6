from odoo import fields, models

ITEM_STATES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]


class MetakockaSyncRunItem(models.Model):
    """One record (push) or one Metakocka document (import) of a bulk run."""

    _name = "metakocka.sync.run.item"
    _description = "Metakocka sync run item"
    _order = "run_id, id"

    run_id = fields.Many2one("metakocka.sync.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    res_model = fields.Char("Model")
    res_id = fields.Many2oneReference("Record id", model_field="res_model")
    record_name = fields.Char("Record")
    mk_doc_type = fields.Char("Metakocka document type")
    mk_id = fields.Char("Metakocka id")
    state = fields.Selection(ITEM_STATES, default="queued", required=True, index=True)
    attempts = fields.Integer(default=0, help="How many times a worker took this item (more than once: a worker "
                                              "stopped while it had it, or it was retried).")
    claimed_at = fields.Datetime(help="When a worker took this item.")
    claimed_by = fields.Integer(help="The database process id of the worker's connection that took this item.")
    available_at = fields.Datetime(help="A busy record is tried again from this time on.")
    result = fields.Char(help="created, updated, unchanged, imported …")
    error = fields.Text()

    def action_open_record(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form", "views": [(False, "form")]}
