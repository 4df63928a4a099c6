"""Odoo quotations, orders and customer invoices as Metakocka documents, and what stops them.

Functions here read records and return plain data; they never call Metakocka or write anything.
"""

import datetime

from odoo.tools import html2plaintext

from .product_mapper import uom_unit
from ..metakocka_api.values import (
    LJUBLJANA,
    as_list,
    as_object,
    format_doc_date,
    format_number,
    parse_discount,
    parse_number,
)

#: Metakocka keeps at most 50 characters of a change-log note.
CHANGE_LOG_LIMIT = 50

#: A customer credit note refunds (part of) an invoice's value; "goods" would be a return of goods.
CREDIT_NOTE_TYPE = "financial"


def document_lines(record):
    """The lines of an order or invoice that become Metakocka product lines, as (line, quantity, taxes)."""
    if record._name == "sale.order":
        return [(line, line.product_uom_qty, line.tax_id) for line in record.order_line if not line.display_type]
    return [
        (line, line.quantity, line.tax_ids)
        for line in record.invoice_line_ids
        if line.display_type == "product"
    ]


def buyer(record):
    """The Metakocka buyer: the commercial entity of the order's or invoice's customer."""
    return record.partner_id.commercial_partner_id


def document_problems(record):
    """Every reason why ``record`` cannot be sent, each naming the record and the field."""
    env = record.env
    name = record.display_name
    problems = []
    lines = document_lines(record)
    if not lines:
        problems.append(env._("%(record)s has no lines to send.", record=name))
    problems.extend(credit_note_problems(record))
    partner = buyer(record)
    if not partner:
        problems.append(env._("%(record)s has no customer.", record=name))
    else:
        problems.extend(partner_problems(partner, name))
    currency = record.currency_id
    if not currency or len(currency.name or "") != 3 or not currency.name.isalpha():
        problems.append(env._("%(record)s: the currency %(currency)s has no ISO 4217 code Metakocka accepts.",
                              record=name, currency=currency.name or "-"))
    for position, (line, _quantity, taxes) in enumerate(lines, start=1):
        where = env._("%(record)s, line %(position)s (%(line)s)", record=name, position=position,
                      line=(line.name or "").split("\n")[0][:40])
        if not line.product_id:
            problems.append(env._("%(where)s: the line has no product.", where=where))
        elif not line.product_id.default_code:
            problems.append(env._(
                "%(where)s: the product %(product)s has no Internal Reference; Metakocka matches products by it.",
                where=where, product=line.product_id.display_name,
            ))
        if len(taxes) > 1:
            problems.append(env._("%(where)s: several taxes (%(taxes)s); Metakocka takes one tax per line.",
                                  where=where, taxes=", ".join(taxes.mapped("name"))))
        for tax in taxes:
            if tax.amount_type != "percent":
                problems.append(env._(
                    "%(where)s: the tax %(tax)s has no Metakocka equivalent; only percentage taxes can be sent.",
                    where=where, tax=tax.name,
                ))
    return problems


def partner_problems(partner, context_name):
    env = partner.env
    problems = []
    if not (partner.name or "").strip():
        problems.append(env._("%(record)s: the customer has no name.", record=context_name))
    if not (partner.street or "").strip():
        problems.append(env._("%(record)s: the customer %(partner)s has no street address.",
                              record=context_name, partner=partner.display_name))
    if not (partner.city or "").strip():
        problems.append(env._("%(record)s: the customer %(partner)s has no city.",
                              record=context_name, partner=partner.display_name))
    if not partner.country_id:
        problems.append(env._("%(record)s: the customer %(partner)s has no country.",
                              record=context_name, partner=partner.display_name))
    return problems


def is_foreign(partner, company):
    return bool(partner.country_id and company.country_id and partner.country_id != company.country_id)


def partner_payload(partner, company):
    """A res.partner as the body of Metakocka's add_partner."""
    street = ", ".join(filter(None, [partner.street, partner.street2]))
    payload = {
        "business_entity": "true" if partner.is_company else "false",
        "taxpayer": "true" if partner.vat else "false",
        "foreign_county": "true" if is_foreign(partner, company) else "false",
        "customer": partner.name,
        "street": street,
        "post_number": partner.zip or "",
        "place": partner.city or "",
        "country": partner.country_id.code or "",
        "tax_id_number": partner.vat or "",
        "buyer": "true",
    }
    contact = {"name": partner.name, "email": partner.email or "", "phone": partner.phone or "",
               "gsm": partner.mobile or ""}
    payload["partner_contact"] = {key: value for key, value in contact.items() if value}
    return {key: value for key, value in payload.items() if value != ""}


def product_payload(product):
    """A product.product as the body of Metakocka's product_add."""
    return {
        "count_code": product.default_code,
        "code": product.default_code,
        "name": product.name,
        "unit": uom_unit(product.uom_id) or "kos",
        "service": "true" if product.type == "service" else "false",
        "sales": "true",
        **({"barcode": product.barcode} if product.barcode else {}),
    }


def document_payload(record, doc_type, buyer_order, partner_ref, *, warehouse_mark=None, status_code=None,
                     linked_offer=None, linked_orders=()):
    """The body of put_document for ``record`` (without ``mk_id``, which the caller adds to update)."""
    lines = []
    for line, quantity, taxes in document_lines(record):
        item = {
            "code": line.product_id.default_code,
            "amount": format_number(quantity),
            "name": line.product_id.name,
        }
        tax = taxes[:1]
        price_key = "price_with_tax" if tax and tax.price_include else "price"
        item[price_key] = format_number(line.price_unit)
        if line.discount:
            item["discount"] = format_number(line.discount)
        if tax and tax.metakocka_tax_code:
            item["tax"] = tax.metakocka_tax_code
        else:
            item["tax_factor"] = format_number((tax.amount if tax else 0) / 100)
        lines.append(item)
    payload = {
        "doc_type": doc_type,
        "doc_date": format_doc_date(document_date(record)),
        "buyer_order": buyer_order,
        "title": record.name,
        "currency_code": record.currency_id.name,
        "partner": partner_ref,
        "product_list": lines,
    }
    notes = record.note if record._name == "sale.order" else record.narration
    if notes and (text := _plain_text(notes)):
        payload["notes"] = text
    if warehouse_mark and doc_type == "sales_order":
        payload["warehouse"] = warehouse_mark
    if status_code and doc_type == "sales_order":
        payload["status_code"] = status_code
    if linked_offer:
        payload["offer_list"] = [{"count_code": linked_offer}]
    if linked_orders:
        payload["sales_order_list"] = [{"buyer_order": key} for key in linked_orders]
    payload.update(credit_note_fields(record))
    return payload


def is_credit_note(record):
    return record._name == "account.move" and record.move_type == "out_refund"


def credit_note_fields(record):
    """What a credit note adds to its document: its type and the bill it credits (nothing for others)."""
    if not is_credit_note(record):
        return {}
    return {"credit_note_type": CREDIT_NOTE_TYPE, "credit_note_bill": credited_bill_number(record)}


def credit_note_problems(record):
    """Why a credit note cannot be sent: it credits no invoice, or one that is not in Metakocka yet."""
    env = record.env
    if not is_credit_note(record):
        return []
    if not record.reversed_entry_id:
        return [env._("%(record)s credits no invoice; Metakocka takes credit notes of its own bills only.",
                      record=record.display_name)]
    if not credited_bill_number(record):
        return [env._("%(record)s credits %(invoice)s, which is not in Metakocka yet: send the invoice first.",
                      record=record.display_name, invoice=record.reversed_entry_id.display_name)]
    return []


def credited_bill_number(record):
    """The Metakocka number of the bill a credit note credits (the reversed invoice's link), or None."""
    links = record.reversed_entry_id.sudo().metakocka_link_ids.filtered(
        lambda link: link.doc_type in ("sales_bill_domestic", "sales_bill_foreign"))
    return links[:1].count_code or None


# -- what each side looked like at the last sync ------------------------------------------------
#
# "Changed since the last sync" is decided by content, not by Metakocka's last_change_ts: our own
# status changes, an invoice or packing list linked to an order, and an order linked to its offer
# move that clock too, and put_document does not say what it became. The content compared is what
# an import takes into Odoo (the partner and the lines); the rest of a document is Odoo's to send.


def remote_content(document):
    """The partner and lines of a Metakocka document (get_document or a search with show_tax_factor)."""
    lines = []
    for entry in as_list(document.get("product_list")):
        line = as_object(entry)
        price_key = "price" if line.get("price") not in (None, "") else "price_with_tax"
        lines.append([line.get("code") or line.get("count_code"), _canonical(line.get("amount")), price_key,
                      _canonical(line.get(price_key)), _canonical(parse_discount(line.get("discount"))),
                      _canonical(line.get("tax_factor"))])
    return {"partner": as_object(document.get("partner")).get("mk_id"), "lines": lines}


def sent_content(record, payload):
    """:func:`remote_content` of the document Metakocka makes of ``payload`` (sent for ``record``)."""
    lines = []
    for item, (_line, _quantity, taxes) in zip(payload["product_list"], document_lines(record)):
        price_key = "price" if "price" in item else "price_with_tax"
        factor = item.get("tax_factor") or format_number((taxes[:1].amount or 0) / 100)
        lines.append([item["code"], _canonical(item["amount"]), price_key, _canonical(item[price_key]),
                      _canonical(parse_discount(item.get("discount"))), _canonical(factor)])
    return {"partner": payload["partner"].get("mk_id"), "lines": lines}


def odoo_content(record):
    """What a push sends and an import writes of an Odoo order or invoice: its customer and lines."""
    return {"partner": buyer(record).id, "lines": [
        [line.product_id.id, quantity, line.price_unit, line.discount, taxes.ids]
        for line, quantity, taxes in document_lines(record)]}


def describe_lines(record):
    """The lines of ``record`` in a sentence, to keep what a conflict's resolution replaced."""
    return "; ".join(
        f"{format_number(quantity)} × {line.product_id.display_name or line.name} @ {format_number(line.price_unit)}"
        + (f" −{format_number(line.discount)} %" if line.discount else "")
        for line, quantity, _taxes in document_lines(record)) or "-"


def describe_remote_lines(document):
    """The lines of a Metakocka document in a sentence, to keep what Odoo's version overwrote."""
    lines = [as_object(entry) for entry in as_list(document.get("product_list"))]
    return "; ".join(
        f"{line.get('amount')} × {line.get('name') or line.get('code')} @ "
        f"{line.get('price') or line.get('price_with_tax')}" + (f" −{line['discount']} %" if line.get("discount") else "")
        for line in lines) or "-"


def _canonical(value):
    number = parse_number(value)
    return "" if number is None else format_number(number)


def total_difference(record, remote_total):
    """A message when Metakocka's total (a Metakocka number) differs from the record's, else ""."""
    remote = parse_number(remote_total)
    if remote is None or not record.currency_id.compare_amounts(float(remote), record.amount_total):
        return ""
    return record.env._(
        "Metakocka's total %(remote)s differs from Odoo's %(local)s by %(difference)s.",
        remote=remote, local=record.amount_total,
        difference=record.currency_id.round(float(remote) - record.amount_total),
    )


def change_log_note(env):
    return f"odoo: {env.user.login}"[:CHANGE_LOG_LIMIT]


def document_date(record):
    """The document's date in Ljubljana (Odoo keeps datetimes in UTC)."""
    if record._name == "sale.order":
        return record.date_order.replace(tzinfo=datetime.timezone.utc).astimezone(LJUBLJANA).date()
    return record.invoice_date or datetime.datetime.now(LJUBLJANA).date()


def _plain_text(html):
    return html2plaintext(str(html)).strip()
