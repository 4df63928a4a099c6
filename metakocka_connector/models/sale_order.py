from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "metakocka.synced.mixin"]

    _metakocka_link_column = "sale_order_id"

    metakocka_link_ids = fields.One2many("metakocka.document.link", "sale_order_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user",
                                         copy=False)

    metakocka_status_id = fields.Many2one("metakocka.order.status", string="Metakocka order status",
                                          compute="_compute_metakocka_status", compute_sudo=True)
    metakocka_status_changed_at = fields.Datetime("Metakocka status changed", compute="_compute_metakocka_status",
                                                  compute_sudo=True)
    metakocka_stock_shortage = fields.Text("Stock shortage", compute="_compute_metakocka_stock", compute_sudo=True)
    metakocka_stock_line_ids = fields.One2many("sale.order.line", compute="_compute_metakocka_stock",
                                               compute_sudo=True, string="Allocation")

    metakocka_fulfilment_ids = fields.One2many("metakocka.fulfilment", "order_id", string="Metakocka fulfilments",
                                               groups="metakocka_connector.group_metakocka_user", copy=False)
    metakocka_can_fulfil = fields.Boolean("Can be fulfilled", compute="_compute_metakocka_can_fulfil",
                                          help="A linked order with an open delivery: the Fulfil dialog applies.")
    metakocka_cancel_reason = fields.Char("Cancellation reason", copy=False, tracking=True,
                                          help="Asked when the order is cancelled; sent to Metakocka with the status.")

    @api.depends("metakocka_link_ids.status_id", "metakocka_link_ids.status_changed_at")
    def _compute_metakocka_status(self):
        for order in self:
            link = order._metakocka_link("sales_order")
            order.metakocka_status_id = link.status_id
            order.metakocka_status_changed_at = link.status_changed_at

    def action_metakocka_change_status(self):
        """The "Change Metakocka status" dialog, offering the statuses the order may move to."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "metakocka.status.wizard", "view_mode": "form",
                "target": "new", "name": self.env._("Change Metakocka status"),
                "context": {"default_order_id": self.id}}

    @api.depends("metakocka_link_ids.stock_shortage", "order_line")
    def _compute_metakocka_stock(self):
        for order in self:
            order.metakocka_stock_shortage = order._metakocka_link("sales_order").stock_shortage
            order.metakocka_stock_line_ids = order.order_line.filtered(
                lambda line: not line.display_type and line.product_id.is_storable)

    @api.depends("state", "picking_ids.state", "metakocka_link_ids.mk_id")
    def _compute_metakocka_can_fulfil(self):
        for order in self:
            order.metakocka_can_fulfil = order.state == "sale" and bool(
                order.sudo()._metakocka_link("sales_order").mk_id) and any(
                order.picking_ids.mapped("is_metakocka_open_delivery"))

    def action_metakocka_fulfil(self):
        """The "Fulfil" dialog: ship the order's open delivery with a tracking number, carrier and notes."""
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "metakocka.fulfil.wizard", "view_mode": "form",
                "target": "new", "name": self.env._("Fulfil"), "context": {"default_order_id": self.id}}

    def action_cancel(self):
        for order in self:
            order._check_metakocka_cancellable()
        return super().action_cancel()

    def _check_metakocka_cancellable(self):
        """A linked order whose goods left the warehouse is not cancelled: Metakocka shipped it too."""
        if not self.sudo()._metakocka_link("sales_order").mk_id:
            return
        shipped = self.picking_ids.filtered("is_metakocka_shipped_delivery")
        if shipped:
            raise UserError(self.env._(
                "%(order)s cannot be cancelled: %(deliveries)s left the warehouse and the order is shipped in "
                "Metakocka. Return the goods instead (Return on the delivery).",
                order=self.display_name, deliveries=", ".join(shipped.mapped("name"))))

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["metakocka.order.event"]._enqueue_status(self)
        return result

    def action_confirm(self):
        result = super().action_confirm()
        if self.env.context.get("metakocka_no_push"):
            return result
        to_send = self.filtered(lambda order: order.company_id.metakocka_enabled
                                and order.company_id.metakocka_push_on_confirm)
        if to_send:
            self.env["metakocka.sync.run"].sudo()._queue_push(to_send, origin="confirmation")
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    metakocka_reserved_qty = fields.Float(
        "Reserved", compute="_compute_metakocka_reserved_qty", digits="Product Unit of Measure",
        help="What Odoo's stock has reserved for this line on its open deliveries, in the line's unit.")

    @api.depends("move_ids.quantity", "move_ids.state")
    def _compute_metakocka_reserved_qty(self):
        for line in self:
            moves = line.move_ids.filtered(lambda move: move.state not in ("done", "cancel")
                                           and move.picking_code == "outgoing")
            line.metakocka_reserved_qty = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom) for move in moves)
