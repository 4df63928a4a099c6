from odoo import api, fields, models

LINK_STATES = [
    ("pending", "To send"),
    ("synced", "Synced"),
    ("warning", "Synced with warnings"),
    ("error", "Error"),
    ("conflict", "Conflict"),
    ("deleted", "Deleted in ERPNext"),
]


class ErpnextCustomerLink(models.Model):
    """An Odoo contact and its ERPNext Customer, per company: the truth of the mapping.

    ``erpnext_id`` is the Customer's ``name`` (empty while a new partner waits to be created in
    ERPNext). The last record both sides agreed on is kept per side (``remote_record``,
    ``local_record``): comparing with them tells which side changed what.
    """

    _name = "erpnext.customer.link"
    _description = "ERPNext customer link"
    _order = "id desc"
    _rec_name = "erpnext_id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Contact", required=True, index=True, ondelete="cascade")
    erpnext_id = fields.Char("ERPNext ID", index=True, copy=False,
                             help="The ERPNext Customer's name (its ID); empty until it is created.")
    state = fields.Selection(LINK_STATES, default="pending", required=True, index=True, copy=False)
    contact_partner_id = fields.Many2one("res.partner", string="Contact person", index="btree_not_null",
                                         ondelete="set null", help="The child contact made from the primary Contact.")
    remote_modified = fields.Char("Customer modified", copy=False,
                                  help="The Customer's 'modified' last read, sent back to detect edit conflicts.")
    contact_name = fields.Char("ERPNext Contact", copy=False)
    contact_modified = fields.Char(copy=False)
    address_name = fields.Char("ERPNext Address", copy=False)
    address_modified = fields.Char(copy=False)
    remote_record = fields.Json(copy=False, help="The customer as ERPNext had it at the last sync.")
    local_record = fields.Json(copy=False, help="The customer as Odoo had it at the last sync.")
    last_sync_at = fields.Datetime("Last sync", copy=False)
    last_direction = fields.Selection([("pull", "ERPNext → Odoo"), ("push", "Odoo → ERPNext")], copy=False)
    last_error = fields.Text(copy=False)
    local_changed_at = fields.Datetime("Changed in Odoo", copy=False,
                                       help="When a synced field last changed in Odoo (for 'newest change wins').")
    create_attempted_at = fields.Datetime(
        copy=False, help="When a create was sent without a sure answer; the next push looks for it in ERPNext first.")
    conflict_fields = fields.Json(copy=False, help="{field: [Odoo value, ERPNext value]} of a held conflict.")

    _sql_constraints = [
        ("erpnext_id_unique", "UNIQUE (company_id, erpnext_id)",
         "This ERPNext customer is already linked to another contact of the company."),
        ("partner_unique", "UNIQUE (company_id, partner_id)", "This contact is already linked to an ERPNext customer."),
    ]

    @api.depends("partner_id", "erpnext_id")
    def _compute_display_name(self):
        for link in self:
            link.display_name = f"{link.partner_id.display_name} → {link.erpnext_id or self.env._('(new)')}"

    def action_open_partner(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "res_id": self.partner_id.id,
                "view_mode": "form"}

    def action_keep_odoo(self):
        """Settle held conflicts with Odoo's values: they are sent to ERPNext."""
        return self._resolve_conflicts("odoo")

    def action_take_erpnext(self):
        """Settle held conflicts with ERPNext's values: they are written in Odoo."""
        return self._resolve_conflicts("erpnext")

    def _resolve_conflicts(self, winner):
        Run = self.env["erpnext.sync.run"]
        for company, links in self.filtered(lambda link: link.state == "conflict").grouped("company_id").items():
            Run._resolve_conflicts(company, links, winner)
        return True

    def action_resync(self):
        """Read these customers from ERPNext again and apply every difference (e.g. after adding a
        missing payment term or country in Odoo)."""
        Run = self.env["erpnext.sync.run"]
        Run._check_group("erpnext_customer_sync.group_erpnext_manager")
        runs = Run.browse()
        for company, links in self.filtered("erpnext_id").grouped("company_id").items():
            runs |= Run._queue_names(company, links.mapped("erpnext_id"), trigger="manual", force=True)
        return Run._notify_queued(runs)
