from odoo import models


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

    def _action_done(self):
        result = super()._action_done()
        self.env["metakocka.order.event"]._enqueue_status(self.move_ids._metakocka_orders())
        return result
