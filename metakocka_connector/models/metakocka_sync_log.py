from odoo import api, fields, models

from .metakocka_link_mixin import DIRECTIONS


class MetakockaSyncLog(models.Model):
    """One line per thing the connector did or tried with Metakocka. Never holds a secret."""

    _name = "metakocka.sync.log"
    _description = "Metakocka sync log"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, ondelete="set null")
    direction = fields.Selection(DIRECTIONS, required=True)
    res_model = fields.Char("Model", index=True)
    res_id = fields.Many2oneReference("Record id", model_field="res_model", index=True)
    record_name = fields.Char("Record")
    mk_id = fields.Char("Metakocka id", index=True)
    operation = fields.Selection([
        ("create", "Create"),
        ("update", "Update"),
        ("skip", "Unchanged"),
        ("status", "Status change"),
        ("fulfil", "Fulfilment"),
        ("import", "Import"),
        ("pull", "Pull"),
        ("validate", "Validation"),
        ("connection", "Connection test"),
    ], required=True)
    status = fields.Selection([("success", "Success"), ("error", "Error"), ("warning", "Needs review")],
                              required=True, index=True)
    duration_ms = fields.Integer("Duration (ms)")
    message = fields.Text()

    @api.model
    def _record(self, record, **values):
        """Log about ``record`` (any model); ``values`` are this model's fields."""
        if record:
            values.update(res_model=record._name, res_id=record.id, record_name=record.display_name)
            values.setdefault("company_id", record.company_id.id if "company_id" in record else self.env.company.id)
        return self.sudo().create(values)

    def action_open_record(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form", "views": [(False, "form")]}

    @api.model
    def _cron_delete_old_lines(self):
        """Delete log lines older than ``metakocka_connector.log_retention_days`` (default 90)."""
        days = int(self.env["ir.config_parameter"].sudo().get_param("metakocka_connector.log_retention_days", 90))
        self.sudo().search([("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=days))]).unlink()
