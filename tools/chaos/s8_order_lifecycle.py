"""Scenario 8: an order's life across both sides — fulfilled in two deliveries, invoiced, cancelled,
paused in Metakocka, refused for want of stock.

Set up over XML-RPC as an admin would: three storable products with 10 on hand each in the main
warehouse (an inventory adjustment) and a carrier "GLS". Then, on a real server whose cron workers
send the order events after each commit:

* order A (3 storable lines) sent: a Metakocka sales order of 3 lines that reserves them (read from
  Metakocka's public ``warehouse_stock``); fulfilled with Odoo's "Fulfil" dialog in two deliveries:
  the first (2 of the 3 lines, tracking TRK-1, carrier GLS) a packing list linked to the order whose
  tracking number waits for the invoice, which is then made of what was delivered, posted and sent;
  the backorder a second packing list, the order "shipped", the reservation down by what shipped;
* order B sent, then cancelled with a reason through Odoo's cancel dialog: cancelled in Metakocka with
  the reason in its notes, the reservation back to what it was, B's delivery cancelled in Odoo;
* order C sent, then paused in Metakocka; the scheduled pull of changed orders shows it paused in Odoo;
* with the stock check set to "block", an order D of more than is on hand is refused by the button,
  naming the product, and nothing reaches Metakocka.

The dialogs are driven as the web client drives them: the Fulfil dialog's onchange prefills it, Odoo's
SMS question before a company's first validated delivery is answered "Disable SMS", and the invoice's
button is pressed right after posting — often while the event its posting queued is being sent — so
that the tracking number must still follow. The stock check and the pull's settings are set back at the
end; nothing is armed in the simulator.
"""

import json
import time
import urllib.request
import xmlrpc.client
from decimal import Decimal

from . import actions

NUMBER, TITLE, LIMIT = 8, "an order's life: fulfil, invoice, cancel, pause, stock check", 120
#: The order events' cron worker is woken by the commit; the most one step may take.
SEND_LIMIT = 60
ON_HAND = 10
#: (short name, product name, price); codes are made unique per run.
PRODUCTS = [("BEANS", "Chaos coffee beans", 12.0), ("MUG", "Chaos mug", 8.0), ("JUG", "Chaos milk jug", 15.0)]
QUANTITIES_A = {"BEANS": 2, "MUG": 3, "JUG": 1}
HELD_BACK = "JUG"  # left for the backorder
QUANTITIES_B = {"BEANS": 1, "MUG": 2}
QUANTITIES_C = {"MUG": 1}
SHORT = ("BEANS", 50)
TRACKING, CARRIER, REASON = "TRK-1", "GLS", "Customer changed their mind"
PAUSED = "Pavziran"
#: stock_sms's dialog before a company's first validated delivery (Odoo's, not the connector's).
SMS_DIALOG = "confirm.stock.sms"
UNMARSHALLABLE = "cannot marshal None"


class Side:
    """What the scenario reads on both sides: Odoo over XML-RPC, Metakocka through the simulator."""

    def __init__(self, lab, odoo):
        self.lab, self.odoo, self.metakocka = lab, odoo, lab.metakocka.admin
        self.codes = {}  # short name -> default_code
        self.products = {}  # short name -> product id

    # -- Odoo -------------------------------------------------------------------------------

    def order(self, quantities):
        lines = [(0, 0, {"product_id": self.products[short], "product_uom_qty": quantity})
                 for short, quantity in quantities.items()]
        order = self.odoo.call("sale.order", "create", {"partner_id": self.lab.catalog.customers[0],
                                                        "order_line": lines})
        self.odoo.call("sale.order", "action_confirm", [order])
        return order

    def read_order(self, order, fields=("name", "metakocka_mk_id", "metakocka_last_error", "metakocka_status_id",
                                        "picking_ids", "invoice_ids")):
        return self.odoo.call("sale.order", "read", [order], list(fields))[0]

    def fulfilments(self, order):
        return self.odoo.call("metakocka.fulfilment", "search_read", [("order_id", "=", order)],
                              ["state", "count_code", "tracking_ref", "tracking_sent"], order="id")

    def fulfil(self, order, held_back=(), **values):
        """The order's "Fulfil" dialog as the web client runs it: opened (its onchange prefills the delivery,
        the carrier and a line per open move), the lines of ``held_back`` set to 0, ``values`` entered,
        saved, then "Fulfil"."""
        wizard = "metakocka.fulfil.wizard"
        spec = {"order_id": {}, "picking_id": {}, "carrier_id": {}, "tracking_ref": {}, "notes": {},
                "line_ids": {"fields": {"move_id": {}, "product_id": {}, "quantity": {}}}}
        shown = self.odoo.call(wizard, "onchange", [], {}, [], spec, context={"default_order_id": order})["value"]
        held = {self.products[short] for short in held_back}
        lines = [(0, 0, {"move_id": line["move_id"],
                         "quantity": 0 if line["product_id"] in held else line["quantity"]})
                 for _command, _id, line in shown["line_ids"]]
        dialog = {"order_id": order, "picking_id": shown["picking_id"], "carrier_id": shown["carrier_id"],
                  "tracking_ref": shown["tracking_ref"], "notes": shown["notes"], "line_ids": lines, **values}
        created = self.odoo.call(wizard, "create", dialog, context={"default_order_id": order})
        answer = self.odoo.call(wizard, "action_fulfil", [created], context={"default_order_id": order})
        if isinstance(answer, dict) and answer.get("res_model") == SMS_DIALOG:
            # Odoo's first validation of the company asks about SMS confirmations: "Disable SMS".
            answer = self.odoo.call(SMS_DIALOG, "dont_send_sms", [answer["res_id"]], context=answer["context"])
        return answer

    # -- Metakocka --------------------------------------------------------------------------

    def document(self, doc_type, mk_id):
        return next((doc for doc in self.metakocka.documents(doc_type) if doc.get("mk_id") == mk_id), {})

    def packing_lists_of(self, mk_id):
        return [doc for doc in self.metakocka.documents("warehouse_packing_list")
                if mk_id in [link.get("mk_id") for link in doc.get("doc_link_list") or []]]

    def reserved(self):
        """{short name: reserved amount} from Metakocka's public warehouse_stock, every warehouse summed."""
        body = json.dumps({"secret_key": "sandbox-secret", "company_id": "1000",
                           "product_code_list": ",".join(self.codes.values())}).encode()
        request = urllib.request.Request(f"{self.lab.metakocka.url}/rest/eshop/v1/json/warehouse_stock", data=body,
                                         method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        if answer.get("opr_code") not in (None, "0"):
            raise RuntimeError(f"warehouse_stock answered {answer}")
        rows = answer.get("stock_list") or []
        by_code = {code: short for short, code in self.codes.items()}
        amounts = {short: Decimal(0) for short in self.codes}
        for row in rows if isinstance(rows, list) else [rows]:
            if row.get("code") in by_code:
                amounts[by_code[row["code"]]] += Decimal(str(row.get("reserved_amount") or "0").replace(",", "."))
        return amounts


def call_for_the_web_client(odoo, model, method, *args, **kwargs):
    """A button whose answer (an action to open) holds a ``None``, which XML-RPC cannot carry: Odoo has done
    and committed the work when it fails to write the answer, so that fault alone is taken as done (None)."""
    try:
        return odoo.call(model, method, *args, **kwargs)
    except xmlrpc.client.Fault as fault:
        if UNMARSHALLABLE not in fault.faultString:
            raise
        return None


def shown(amounts):
    return " ".join(f"{short} {amount:g}" for short, amount in amounts.items())


def set_up(side, stamp):
    """Three storable products with 10 on hand in the main warehouse, and the carrier GLS."""
    odoo = side.odoo
    tax = odoo.call("account.tax", "search", [("name", "=", "DDV 22 %")], limit=1)
    for short, name, price in PRODUCTS:
        code = side.codes[short] = f"S8-{stamp}-{short}"
        side.products[short] = odoo.call("product.product", "create", {
            "name": f"{name} {stamp}", "default_code": code, "list_price": price, "type": "consu",
            "is_storable": True, "invoice_policy": "delivery", "taxes_id": [(6, 0, tax)]})
    # The product's "Update Quantity" (an inventory adjustment in the main warehouse). The quants list's
    # "Apply" (stock.quant action_apply_inventory) answers None, which XML-RPC cannot carry.
    templates = odoo.call("product.product", "read", list(side.products.values()), ["product_tmpl_id"])
    for row in templates:
        wizard = odoo.call("stock.change.product.qty", "create", {
            "product_id": row["id"], "product_tmpl_id": row["product_tmpl_id"][0], "new_quantity": ON_HAND})
        odoo.call("stock.change.product.qty", "change_product_qty", [wizard])
    on_hand = [row["qty_available"] for row in odoo.call("product.product", "read", list(side.products.values()),
                                                          ["qty_available"])]
    carrier = odoo.call("delivery.carrier", "search", [("name", "=", CARRIER)], limit=1)
    if not carrier:
        service = odoo.call("product.product", "create", {"name": f"{CARRIER} shipping", "type": "service"})
        carrier = [odoo.call("delivery.carrier", "create", {"name": CARRIER, "product_id": service})]
    return on_hand, carrier[0]


def send(trial, side, order, what):
    answer = actions.press_sync_button(side.odoo, order)
    trial.check(answer["type"] == "success", f"{what}: the sync button answered {answer['type']}: {answer['message']}")
    return side.read_order(order)


def order_a(trial, side, carrier):
    """Order A sent, fulfilled in two deliveries, invoiced in between; None when a step did not happen."""
    reserved_before = side.reserved()
    order, mk_id, reserved_sent = send_order_a(trial, side, reserved_before)
    seen = first_delivery(trial, side, order, mk_id, carrier, reserved_sent)
    if seen is None:
        return None
    invoice_then_tracking(trial, side, order, mk_id, seen)
    backorder(trial, side, order, mk_id, reserved_before)
    return order


def send_order_a(trial, side, reserved_before):
    order = side.order(QUANTITIES_A)
    read = send(trial, side, order, "order A")
    mk_id = read["metakocka_mk_id"]
    lines = len(side.document("sales_order", mk_id).get("product_list") or [])
    reserved_sent = side.reserved()
    trial.figure(f"order A {read['name']}: {lines} lines sent, Metakocka reserved {shown(reserved_sent)}")
    trial.check(lines == len(QUANTITIES_A), f"order A has {lines} lines in Metakocka")
    expected = {short: reserved_before[short] + QUANTITIES_A.get(short, 0) for short in side.codes}
    trial.check(reserved_sent == expected,
                f"Metakocka reserved {shown(reserved_sent)} for order A, not {shown(expected)}")
    return order, mk_id, reserved_sent


def first_delivery(trial, side, order, mk_id, carrier, reserved_sent):
    """Two of the three lines, with a tracking number and the carrier: a packing list of 2 lines, the tracking
    number waiting for the invoice. Returns what was seen, or None when the packing list did not come."""
    side.fulfil(order, held_back=[HELD_BACK], tracking_ref=TRACKING, carrier_id=carrier)
    if not trial.wait_or_fail(lambda: len(side.packing_lists_of(mk_id)) == 1 and side.fulfilments(order)[0]["state"]
                              == "waiting_invoice", SEND_LIMIT, "order A's first packing list"):
        trial.figure(f"order A fulfilments {side.fulfilments(order)}")
        return None
    [first] = side.packing_lists_of(mk_id)
    [fulfilment] = side.fulfilments(order)
    remote = side.document("sales_order", mk_id)
    first_lines = len(first.get("product_list") or [])
    trial.check(first_lines == len(QUANTITIES_A) - 1, f"the first packing list has {first_lines} lines")
    trial.check((fulfilment["count_code"], fulfilment["tracking_ref"]) == (first.get("count_code"), TRACKING),
                f"Odoo's fulfilment {fulfilment}, packing list {first.get('count_code')}")
    trial.check(not remote.get("tracking_code"), f"Metakocka has the tracking code {remote.get('tracking_code')} "
                                                 "before the invoice")
    trial.check(remote.get("delivery_type") == CARRIER, f"Metakocka's delivery type {remote.get('delivery_type')}")
    reserved_first = side.reserved()
    expected = {short: reserved_sent[short] - (0 if short == HELD_BACK else QUANTITIES_A[short])
                for short in side.codes}
    trial.check(reserved_first == expected,
                f"Metakocka reserves {shown(reserved_first)} after the first delivery, not {shown(expected)}")
    return (f"packing list {first.get('count_code')} of {first_lines} lines, fulfilment {fulfilment['state']}, "
                   f"Metakocka tracking {remote.get('tracking_code') or 'none'}, reserved {shown(reserved_first)}")


def invoice_then_tracking(trial, side, order, mk_id, seen):
    """The invoice of what was delivered, posted and sent with its button at once (often while the event its
    posting queued is being sent, finding no invoice in Metakocka yet): then the tracking number goes."""
    odoo = side.odoo
    context = {"active_ids": [order], "active_model": "sale.order", "active_id": order}
    wizard = odoo.call("sale.advance.payment.inv", "create", {"advance_payment_method": "delivered"}, context=context)
    call_for_the_web_client(odoo, "sale.advance.payment.inv", "create_invoices", [wizard], context=context)
    invoices = side.read_order(order, ["invoice_ids"])["invoice_ids"]
    odoo.call("account.move", "action_post", invoices)
    invoice_lines = odoo.call("account.move", "read", invoices, ["invoice_line_ids"])[0]["invoice_line_ids"]
    answer = odoo.call("account.move", "action_metakocka_sync", invoices)["params"]  # the invoice's button
    trial.check(answer["type"] == "success", f"the invoice's sync button answered: {answer['message']}")
    tracked = trial.wait_or_fail(lambda: side.document("sales_order", mk_id).get("tracking_code") == TRACKING,
                                 SEND_LIMIT, "the tracking code after the invoice")
    [fulfilment] = side.fulfilments(order)
    trial.figure(f"delivery 1: {seen}; invoice of {len(invoice_lines)} lines sent, then tracking "
                 f"{side.document('sales_order', mk_id).get('tracking_code')} (fulfilment {fulfilment['state']})")
    trial.check(not tracked or fulfilment["state"] == "done", f"the fulfilment is {fulfilment['state']}")


def backorder(trial, side, order, mk_id, reserved_before):
    """The backorder, as the dialog prefills it: a second packing list, the order shipped, nothing reserved."""
    side.fulfil(order)
    shipped = trial.wait_or_fail(lambda: len(side.packing_lists_of(mk_id)) == 2 and side.document(
        "sales_order", mk_id).get("status_desc") == "shipped", SEND_LIMIT, "the backorder's packing list and shipped")
    lists = side.packing_lists_of(mk_id)
    remote = side.document("sales_order", mk_id)
    reserved_shipped = side.reserved()
    states = [row["state"] for row in side.fulfilments(order)]
    trial.figure(f"backorder: {lists[-1].get('count_code') if len(lists) > 1 else 'no packing list'}, "
                 f"{len(lists)} packing lists, status {remote.get('status_desc')}, fulfilments {states}; "
                 f"reserved now {shown(reserved_shipped)}")
    trial.check(not shipped or reserved_shipped == reserved_before,
                f"Metakocka still reserves {shown(reserved_shipped)} after shipping, not {shown(reserved_before)}")


def order_b(trial, side):
    odoo = side.odoo
    reserved_before = side.reserved()
    order = side.order(QUANTITIES_B)
    read = send(trial, side, order, "order B")
    mk_id = read["metakocka_mk_id"]
    reserved_sent = side.reserved()
    action = odoo.call("sale.order", "action_cancel", [order])
    trial.check(isinstance(action, dict) and action.get("res_model") == "sale.order.cancel",
                f"Cancel did not open the cancel dialog: {action}")
    # The dialog opens with the action's context (its defaults: the order, the e-mail template), the reason is typed.
    wizard = odoo.call("sale.order.cancel", "create", {"order_id": order, "metakocka_cancel_reason": REASON},
                       context=action["context"])
    odoo.call("sale.order.cancel", "action_cancel", [wizard], context=action["context"])

    def cancelled_there():
        return side.document("sales_order", mk_id).get("status_desc") == "canceled"

    trial.wait_or_fail(cancelled_there, SEND_LIMIT, "order B cancelled in Metakocka")
    remote = side.document("sales_order", mk_id)
    reserved_after = side.reserved()
    pickings = side.read_order(order, ["picking_ids"])["picking_ids"]
    delivery = sorted({row["state"] for row in odoo.call("stock.picking", "read", pickings, ["state"])})
    trial.figure(f"order B {read['name']}: reserved {shown(reserved_before)} before, {shown(reserved_sent)} sent, "
                 f"{shown(reserved_after)} after the cancel; Metakocka {remote.get('status_desc')}, notes "
                 f"{remote.get('notes')!r}; Odoo delivery {'/'.join(delivery)}")
    trial.check(REASON in (remote.get("notes") or ""), f"Metakocka's notes of B are {remote.get('notes')!r}")
    trial.check(reserved_sent != reserved_before, "sending B reserved nothing in Metakocka")
    trial.check(reserved_after == reserved_before,
                f"Metakocka reserves {shown(reserved_after)} after B was cancelled, not {shown(reserved_before)}")
    trial.check(delivery == ["cancel"], f"B's delivery is {delivery}")


def order_c(trial, side):
    odoo, company = side.odoo, side.lab.catalog.company
    order = side.order(QUANTITIES_C)
    read = send(trial, side, order, "order C")
    mk_id = read["metakocka_mk_id"]
    before = odoo.call("res.company", "read", [company], ["metakocka_pull_enabled", "metakocka_pull_cursor"])[0]
    # The pull has been running: its cursor reached C's send (it reads from 5 minutes before the cursor).
    odoo.call("res.company", "write", [company], {
        "metakocka_pull_enabled": True,
        "metakocka_pull_cursor": side.document("sales_order", mk_id).get("last_change_ts") or False})
    try:
        side.metakocka.set_order_status(mk_id, "paused")
        cron = odoo.call("ir.model.data", "search_read", [("module", "=", "metakocka_connector"),
                                                          ("name", "=", "ir_cron_pull_changes")], ["res_id"])[0]
        started = time.monotonic()
        odoo.call("ir.cron", "method_direct_trigger", [cron["res_id"]])
        seconds = time.monotonic() - started
    finally:
        odoo.call("res.company", "write", [company], {"metakocka_pull_enabled": before["metakocka_pull_enabled"],
                                                      "metakocka_pull_cursor": before["metakocka_pull_cursor"]})
    status = side.read_order(order)["metakocka_status_id"]
    name = status and odoo.call("metakocka.order.status", "read", [status[0]], ["name"])[0]["name"]
    remote = side.document("sales_order", mk_id)
    trial.figure(f"order C {read['name']}: Metakocka {remote.get('status_desc')}, Odoo status after the pull "
                 f"({seconds:.1f} s) {name or 'none'}")
    trial.check(name == PAUSED, f"Odoo's order C shows {status}, not {PAUSED}")


def order_d(trial, side):
    odoo, company = side.odoo, side.lab.catalog.company
    before = odoo.call("res.company", "read", [company], ["metakocka_stock_check"])[0]["metakocka_stock_check"]
    orders_before = len(side.metakocka.documents("sales_order"))
    odoo.call("res.company", "write", [company], {"metakocka_stock_check": "block"})
    try:
        short, quantity = SHORT
        order = side.order({short: quantity})
        answer = actions.press_sync_button(odoo, order)
    finally:
        odoo.call("res.company", "write", [company], {"metakocka_stock_check": before})
    read = side.read_order(order)
    message = (read["metakocka_last_error"] or answer["message"] or "").replace("\n", " ")
    documents = len(side.metakocka.documents("sales_order")) - orders_before
    trial.figure(f"order D {read['name']} of {quantity} {short} with the check on block: button {answer['type']} "
                 f"({message!r}), {documents} new Metakocka documents")
    trial.check(answer["type"] == "danger", f"the button answered {answer['type']} for order D")
    trial.check(side.codes[short] in message, f"the refusal does not name {side.codes[short]}: {message!r}")
    trial.check(not read["metakocka_mk_id"] and documents == 0, f"order D reached Metakocka ({documents} documents)")
    trial.check(odoo.call("res.company", "read", [company], ["metakocka_stock_check"])[0]["metakocka_stock_check"]
                == before, "the stock check was not set back")


def run(lab, trial):
    side = Side(lab, lab.servers["A"].rpc())
    on_hand, carrier = set_up(side, int(time.time()))
    trial.figure(f"3 storable products, on hand {'/'.join(f'{qty:g}' for qty in on_hand)}, carrier {CARRIER}")
    trial.check(on_hand == [ON_HAND] * 3, f"on hand {on_hand}")
    if order_a(trial, side, carrier) is None:
        return
    order_b(trial, side)
    order_c(trial, side)
    order_d(trial, side)
