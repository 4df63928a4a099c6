"""Deliveries and cancellations of linked orders as Metakocka data. Reads records, returns plain data."""

from datetime import timezone

from odoo.tools import html2plaintext

from ..metakocka_api.values import LJUBLJANA, format_doc_date, format_number

PACKING_LIST = "warehouse_packing_list"
#: Metakocka's answer when a tracking code comes before the order's invoice (reference §3.4, quirk 17).
NO_INVOICE_MARK = "No invoice for given sales order"


def packing_list_payload(fulfilment, order_key, partner_ref, warehouse_mark):
    """put_document of the warehouse packing list of one delivery, linked to its sales order."""
    picking = fulfilment.picking_id
    payload = {
        "doc_type": PACKING_LIST,
        "doc_date": format_doc_date(_local_date(fulfilment.shipped_at)),
        "buyer_order": fulfilment.buyer_order,
        "title": picking.name,
        "partner": partner_ref,
        "sales_order_list": [{"buyer_order": order_key}],
        "product_list": [_packing_line(line) for line in fulfilment.line_ids],
    }
    if warehouse_mark:
        payload["warehouse"] = warehouse_mark
    if fulfilment.notes:
        payload["notes"] = fulfilment.notes
    return payload


def shipped_changes(fulfilment, order_mk_id, *, with_tracking):
    """update_document of the order after a delivery: the shipped date and carrier of its latest delivery (a
    delivery sent again never winds them back), the deliveries' notes, and this one's tracking code when
    ``with_tracking``."""
    shipped = fulfilment.order_id.metakocka_fulfilment_ids.filtered(
        lambda other: other.mk_id or other == fulfilment).sorted(lambda other: (other.shipped_at, other.id))
    latest = shipped[-1:] or fulfilment
    changes = {"mk_id": order_mk_id, "shipped_date": format_doc_date(_local_date(latest.shipped_at))}
    carrier = next((other.carrier_name for other in reversed(shipped) if other.carrier_name), None)
    if carrier:
        changes["delivery_type"] = carrier
    notes = order_notes(fulfilment.order_id, [f"{other.picking_id.name}: {other.notes}" for other in shipped
                                              if other.notes])
    if notes:
        changes["notes"] = notes
    if with_tracking and fulfilment.tracking_ref:
        changes["tracking_code"] = fulfilment.tracking_ref
    return changes


def order_notes(order, additions):
    """The order's own notes (as put_document sends them) followed by ``additions``, one per line."""
    return "\n".join(filter(None, [plain_text(order.note), *additions]))


def plain_text(html):
    """An HTML field as the plain text Metakocka's notes take ("" for none)."""
    return html2plaintext(str(html)).strip() if html else ""


def is_missing_invoice(error):
    return NO_INVOICE_MARK.casefold() in str(error).casefold()


def _packing_line(line):
    sale_line = line.sale_line_id
    item = {"code": line.product_id.default_code, "amount": format_number(line.quantity),
            "name": line.product_id.name}
    tax = sale_line.tax_id[:1]
    if sale_line:
        item["price_with_tax" if tax.price_include else "price"] = format_number(sale_line.price_unit)
    if tax.metakocka_tax_code:
        item["tax"] = tax.metakocka_tax_code
    elif sale_line:
        item["tax_factor"] = format_number((tax.amount if tax else 0) / 100)
    return item


def _local_date(moment):
    return moment.replace(tzinfo=timezone.utc).astimezone(LJUBLJANA).date()
