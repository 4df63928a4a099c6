from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self.env["metakocka.order.event"]._enqueue_status(self._metakocka_orders())
        return result

    def _metakocka_orders(self):
        """The sales orders whose deliveries these moves are."""
        return self.filtered(lambda move: move.picking_code == "outgoing").sale_line_id.order_id


class StockPicking(models.Model):
    _inherit = "stock.picking"

    is_metakocka_open_delivery = fields.Boolean("Open delivery to ship", compute="_compute_metakocka_delivery_kind")
    is_metakocka_shipped_delivery = fields.Boolean("Shipped delivery", compute="_compute_metakocka_delivery_kind")

    @api.depends("picking_type_code", "return_id", "state")
    def _compute_metakocka_delivery_kind(self):
        """A delivery to the customer (not a return) that can be shipped now, or that was shipped."""
        for picking in self:
            delivery = picking.picking_type_code == "outgoing" and not picking.return_id
            picking.is_metakocka_open_delivery = delivery and picking.state in ("confirmed", "assigned")
            picking.is_metakocka_shipped_delivery = delivery and picking.state == "done"

    def _action_done(self):
        result = super()._action_done()
        self.env["metakocka.fulfilment"]._record_deliveries(self)
        self.env["metakocka.order.event"]._enqueue_status(self.move_ids._metakocka_orders() | self._returned_orders())
        return result

    def _returned_orders(self):
        """The sales orders some of these pickings return goods of."""
        return self.filtered(lambda picking: picking.return_id.picking_type_code == "outgoing").sale_id

    def write(self, vals):
        result = super().write(vals)
        if {"carrier_tracking_ref", "carrier_id"} & set(vals):
            self.env["metakocka.fulfilment"].sudo().search([("picking_id", "in", self.ids)])._take_tracking()
        return result
