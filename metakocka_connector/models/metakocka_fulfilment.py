from odoo import api, fields, models

from ..services.create_guard import forget_create
from ..services.fulfilment import INVOICE_FROM_ORDER
from ..services.fulfilment_mapper import plain_text

FULFILMENT_STATES = [
    ("queued", "To send"),
    ("waiting_invoice", "Tracking waits for the invoice"),
    ("done", "Sent"),
    ("failed", "Failed"),
]


class MetakockaFulfilment(models.Model):
    """One validated delivery of a linked order, as it goes to Metakocka: a warehouse packing list
    ("Dobavnica") linked to the order, then the order's shipped date, carrier, notes and tracking code.

    Written in the transaction that validates the delivery and sent after it commits, with the order's
    events (``metakocka.order.event``), so that the status "shipped" follows the packing lists. A tracking
    code Metakocka refuses because the order has no invoice yet is kept here until it can be sent.
    """

    _name = "metakocka.fulfilment"
    _description = "Metakocka fulfilment"
    _order = "id desc"
    _rec_name = "picking_id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    picking_id = fields.Many2one("stock.picking", string="Delivery", required=True, index=True, ondelete="cascade")
    line_ids = fields.One2many("metakocka.fulfilment.line", "fulfilment_id", string="Shipped lines")
    tracking_ref = fields.Char("Tracking number")
    carrier_name = fields.Char("Carrier", help="Sent to Metakocka as the order's delivery type.")
    notes = fields.Text()
    shipped_at = fields.Datetime(required=True)
    state = fields.Selection(FULFILMENT_STATES, default="queued", required=True, index=True)
    buyer_order = fields.Char(required=True, help="Our key of the packing list in Metakocka, by which a lost "
                                                  "create is found again.")
    mk_id = fields.Char("Packing list id", help="The Metakocka warehouse packing list made for this delivery.")
    count_code = fields.Char("Packing list number")
    tracking_sent = fields.Boolean("Tracking number sent", help="Whether Metakocka holds this delivery's tracking number.")
    answer = fields.Text("Metakocka's answer")
    error = fields.Text()
    attempts = fields.Integer(default=0)

    _sql_constraints = [
        ("picking_unique", "UNIQUE (picking_id)", "A delivery is fulfilled in Metakocka once."),
    ]

    @api.model
    def _record_deliveries(self, pickings):
        """A fulfilment for each validated outgoing delivery of an order linked to a Metakocka sales order."""
        pickings = pickings.sudo().filtered("is_metakocka_shipped_delivery")
        values = []
        for picking in pickings - self.sudo().search([("picking_id", "in", pickings.ids)]).picking_id:
            order = picking.sale_id
            if order.company_id.metakocka_enabled and order._metakocka_link("sales_order").mk_id:
                values.append(self._values_for(picking, order))
        return self.sudo().create(values)

    @api.model
    def _values_for(self, picking, order):
        moves = picking.move_ids.filtered(lambda move: move.state == "done" and move.quantity)
        return {
            "company_id": order.company_id.id, "order_id": order.id, "picking_id": picking.id,
            "buyer_order": f"{picking.name}-{picking.id}",
            "tracking_ref": picking.carrier_tracking_ref or False, "carrier_name": picking.carrier_id.name or False,
            "notes": plain_text(picking.note) or False,
            "shipped_at": picking.date_done or fields.Datetime.now(),
            "line_ids": [fields.Command.create(self._line_values(move)) for move in moves],
        }

    @api.model
    def _line_values(self, move):
        """A shipped move in its order line's unit, as the order was sent; a move of another product (a kit's
        component) or of another kind of unit in its product's own unit, without the order line."""
        sale_line = move.sale_line_id
        if sale_line.product_id == move.product_id and sale_line.product_uom.category_id == move.product_uom.category_id:
            unit = sale_line.product_uom
        else:
            unit, sale_line = move.product_id.uom_id, sale_line.browse()
        return {"product_id": move.product_id.id, "sale_line_id": sale_line.id,
                "quantity": move.product_uom._compute_quantity(move.quantity, unit, raise_if_failure=False)}

    @api.model
    def _send_again_after_replacement(self, order):
        """A whole-order replacement (put_document) drops the shipped date, carrier, notes and tracking number
        the order's deliveries gave it: they are sent again."""
        done = order.sudo().metakocka_fulfilment_ids.filtered(lambda item: item.state == "done")
        if done:
            done.write({"state": "queued", "tracking_sent": False})
            self.env["metakocka.order.event"]._enqueue_status(order)

    def _take_tracking(self):
        """A tracking number or carrier entered on the delivery after it was validated goes to Metakocka too."""
        for fulfilment in self:
            picking = fulfilment.picking_id
            tracking, carrier = picking.carrier_tracking_ref or False, picking.carrier_id.name or False
            if (tracking, carrier) == (fulfilment.tracking_ref, fulfilment.carrier_name):
                continue
            fulfilment.write({"tracking_ref": tracking, "carrier_name": carrier, "tracking_sent": False,
                              "state": "failed" if fulfilment.state == "failed" else "queued"})
            self.env["metakocka.order.event"]._enqueue_status(fulfilment.order_id)

    def action_send_again(self):
        """Send failed fulfilments again (with their order's next event)."""
        failed = self.filtered(lambda fulfilment: fulfilment.state == "failed")
        for fulfilment in failed:  # a person asks again: an invoice Metakocka never made may be asked for again
            forget_create(self.env, fulfilment.company_id, INVOICE_FROM_ORDER,
                          fulfilment.order_id.sudo()._metakocka_link("sales_order").buyer_order)
        failed.write({"state": "queued", "attempts": 0, "error": False})
        self.env["metakocka.order.event"]._enqueue_status(failed.order_id)
        return True


class MetakockaFulfilmentLine(models.Model):
    _name = "metakocka.fulfilment.line"
    _description = "Metakocka fulfilment line"

    fulfilment_id = fields.Many2one("metakocka.fulfilment", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict")
    sale_line_id = fields.Many2one("sale.order.line", string="Order line", ondelete="set null")
    quantity = fields.Float(digits="Product Unit of Measure", help="In the order line's unit, as the order was sent.")
