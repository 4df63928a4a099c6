import json

from odoo import api, fields, models

OPERATIONS = [
    ("create", "Created"),
    ("update", "Updated"),
    ("link", "Linked to an existing contact"),
    ("archive", "Archived"),
    ("delete", "Deleted in ERPNext"),
    ("conflict", "Conflict"),
    ("error", "Failed"),
    ("connection", "Connection test"),
    ("run", "Run"),
]


class ErpnextSyncLog(models.Model):
    """One line per change made either way, and per failure: the audit trail. Never holds a secret."""

    _name = "erpnext.sync.log"
    _description = "ERPNext sync log"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    run_id = fields.Many2one("erpnext.sync.run", string="Run", index="btree_not_null", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Who", default=lambda self: self.env.user, ondelete="set null")
    direction = fields.Selection([("pull", "ERPNext → Odoo"), ("push", "Odoo → ERPNext")], required=True)
    operation = fields.Selection(OPERATIONS, required=True)
    status = fields.Selection([("success", "Success"), ("warning", "Warning"), ("error", "Error")],
                              required=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Contact", index="btree_not_null", ondelete="set null")
    partner_name = fields.Char("Contact name", help="Kept when the contact is deleted.")
    erpnext_id = fields.Char("ERPNext ID", index=True)
    changes = fields.Json(help="{field: [before, after]}")
    changes_text = fields.Text("What changed", compute="_compute_changes_text")
    message = fields.Text()

    @api.depends("changes")
    def _compute_changes_text(self):
        for line in self:
            changes = line.changes or {}
            line.changes_text = "\n".join(
                f"{field}: {_shown(values[0])} → {_shown(values[1])}" for field, values in changes.items()
            ) if isinstance(changes, dict) else json.dumps(changes)

    def action_open_partner(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "res_id": self.partner_id.id,
                "view_mode": "form"}

    @api.model
    def _cron_delete_old_lines(self):
        """Delete lines older than ``erpnext_customer_sync.log_retention_days`` (default 180)."""
        days = int(self.env["ir.config_parameter"].sudo().get_param("erpnext_customer_sync.log_retention_days", 180))
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=days)
        self.sudo().search([("create_date", "<", limit)]).unlink()


def _shown(value):
    if value in (None, "", False):
        return "∅"
    return str(value)
