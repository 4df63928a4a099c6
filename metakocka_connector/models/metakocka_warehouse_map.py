from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists


class MetakockaWarehouseMap(models.Model):
    """An Odoo warehouse and the Metakocka warehouse (its mark) its orders reserve stock in.

    The order's warehouse decides the mark; an order from a warehouse without a row goes to the
    company's default warehouse in Metakocka.
    """

    _name = "metakocka.warehouse.map"
    _description = "Metakocka warehouse"
    _order = "company_id, warehouse_id"
    _rec_name = "mark"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade",
                                 default=lambda self: self.env.company)
    warehouse_id = fields.Many2one("stock.warehouse", string="Odoo warehouse", required=True, ondelete="cascade",
                                   domain="[('company_id', '=', company_id)]")
    mark = fields.Char("Metakocka warehouse mark", required=True,
                       help="The warehouse's mark in Metakocka (Settings → Warehouses), e.g. glavno.")

    _sql_constraints = [
        ("warehouse_unique", "UNIQUE (company_id, warehouse_id)",
         "This Odoo warehouse already has a Metakocka warehouse."),
    ]

    @api.constrains("company_id", "warehouse_id")
    def _check_company(self):
        for row in self:
            if row.warehouse_id.company_id != row.company_id:
                raise ValidationError(self.env._(
                    "The warehouse %(warehouse)s belongs to %(other)s, not to %(company)s.",
                    warehouse=row.warehouse_id.display_name, other=row.warehouse_id.company_id.name,
                    company=row.company_id.name))

    @api.model
    def _mark_for(self, warehouse):
        """The Metakocka mark of an Odoo warehouse, or None (Metakocka's default warehouse)."""
        if not warehouse:
            return None
        row = self.sudo().search([("company_id", "=", warehouse.company_id.id), ("warehouse_id", "=", warehouse.id)],
                                 limit=1)
        return row.mark or None

    @api.model
    def _adopt_single_marks(self):
        """Before 18.0.0.2.0 a company had one mark (``res_company.metakocka_warehouse_mark``): it becomes
        the row of the company's first warehouse, unless that warehouse has a row already."""
        if not column_exists(self.env.cr, "res_company", "metakocka_warehouse_mark"):
            return self.browse()
        self.env.cr.execute(SQL("SELECT id, metakocka_warehouse_mark FROM res_company "
                                "WHERE COALESCE(TRIM(metakocka_warehouse_mark), '') != ''"))
        rows = self.browse()
        for company_id, mark in self.env.cr.fetchall():
            warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_id)], order="sequence, id",
                                                           limit=1)
            if warehouse and not self.search_count([("warehouse_id", "=", warehouse.id)]):
                rows |= self.create({"company_id": company_id, "warehouse_id": warehouse.id, "mark": mark.strip()})
        return rows
