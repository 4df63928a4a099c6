from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero

from ..services.fulfilment_mapper import plain_text


class MetakockaFulfilWizard(models.TransientModel):
    """"Fulfil": ship an order's open delivery as Odoo's Validate does (a backorder for what is left), with the
    tracking number, carrier and notes that go to Metakocka."""

    _name = "metakocka.fulfil.wizard"
    _description = "Fulfil an order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id")
    open_picking_ids = fields.Many2many("stock.picking", string="Open deliveries", compute="_compute_open_picking_ids")
    picking_id = fields.Many2one("stock.picking", string="Delivery", required=True,
                                 compute="_compute_picking_id", store=True, readonly=False,
                                 domain="[('id', 'in', open_picking_ids)]")
    tracking_ref = fields.Char("Tracking number", compute="_compute_carrier_id", store=True, readonly=False)
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", check_company=True,
                                 compute="_compute_carrier_id", store=True, readonly=False)
    notes = fields.Text()
    line_ids = fields.One2many("metakocka.fulfil.wizard.line", "wizard_id", string="Lines",
                               compute="_compute_line_ids", store=True, readonly=False)

    @api.model_create_multi
    def create(self, vals_list):
        """Made without the screen (a script, a server action), the dialog fills itself as the screen does."""
        for vals in vals_list:
            if vals.get("order_id") and not vals.get("picking_id"):
                order = self.env["sale.order"].browse(vals["order_id"])
                vals["picking_id"] = order.picking_ids.filtered("is_metakocka_open_delivery").sorted("id")[:1].id
        return super().create(vals_list)

    @api.depends("order_id")
    def _compute_open_picking_ids(self):
        for wizard in self:
            wizard.open_picking_ids = wizard.order_id.picking_ids.filtered("is_metakocka_open_delivery")

    @api.depends("order_id")
    def _compute_picking_id(self):
        for wizard in self:
            wizard.picking_id = wizard.open_picking_ids.sorted("id")[:1]

    @api.depends("picking_id")
    def _compute_carrier_id(self):
        for wizard in self:
            wizard.carrier_id = wizard.picking_id.carrier_id or wizard.order_id.carrier_id
            wizard.tracking_ref = wizard.picking_id.carrier_tracking_ref

    @api.depends("picking_id")
    def _compute_line_ids(self):
        for wizard in self:
            moves = wizard.picking_id.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))
            wizard.line_ids = [fields.Command.clear()] + [fields.Command.create({
                "move_id": move.id, "quantity": move.quantity}) for move in moves]  # what is reserved, as Validate

    def action_fulfil(self):
        self.ensure_one()
        if not self.env.user.has_group("metakocka_connector.group_metakocka_user"):
            raise AccessError(self.env._("Only Metakocka users may fulfil orders from the Metakocka dialog."))
        picking = self.picking_id
        if picking not in self.open_picking_ids:
            raise UserError(self.env._("%(delivery)s is not an open delivery of %(order)s.",
                                       delivery=picking.display_name, order=self.order_id.display_name))
        self._set_quantities()
        picking.write(self._delivery_values())
        result = picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=[]).button_validate()
        if isinstance(result, dict):
            return result  # one of Odoo's own dialogs (SMS notice, lots, printing…) comes first
        return self._done_notification(picking)

    def _set_quantities(self):
        shipped = False
        for line in self.line_ids:
            move = line.move_id
            if line.quantity < 0:
                raise UserError(self.env._("%(product)s: the quantity to ship cannot be negative.",
                                           product=move.product_id.display_name))
            move.write({"quantity": line.quantity, "picked": bool(line.quantity)})
            shipped |= not float_is_zero(line.quantity, precision_rounding=move.product_uom.rounding)
        if not shipped:
            raise UserError(self.env._("Nothing to ship: enter a quantity on at least one line of %(delivery)s.",
                                       delivery=self.picking_id.display_name))

    def _delivery_values(self):
        """What the dialog adds to the delivery; what it leaves empty stays as the delivery has it."""
        values = {}
        if self.carrier_id:
            values["carrier_id"] = self.carrier_id.id
        if (self.tracking_ref or "").strip():
            values["carrier_tracking_ref"] = self.tracking_ref.strip()
        if (self.notes or "").strip():
            values["note"] = "\n".join(filter(None, [plain_text(self.picking_id.note), self.notes.strip()]))
        return values

    def _done_notification(self, picking):
        backorder = picking.backorder_ids.filtered(lambda other: other.state not in ("done", "cancel"))
        message = self.env._("%(delivery)s is validated; Metakocka gets it in a moment.", delivery=picking.name)
        if backorder:
            message += " " + self.env._("The rest waits in %(backorder)s.", backorder=", ".join(backorder.mapped("name")))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Fulfilled"), "type": "success", "message": message,
            "next": {"type": "ir.actions.act_window_close"}}}


class MetakockaFulfilWizardLine(models.TransientModel):
    _name = "metakocka.fulfil.wizard.line"
    _description = "Fulfil an order: a line"

    wizard_id = fields.Many2one("metakocka.fulfil.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("stock.move", required=True, ondelete="cascade")
    product_id = fields.Many2one(related="move_id.product_id")
    demand = fields.Float(related="move_id.product_uom_qty", string="Left to ship")
    product_uom = fields.Many2one(related="move_id.product_uom", string="Unit")
    quantity = fields.Float("To ship now", digits="Product Unit of Measure")
