"""Credit notes (sales_bill_credit_note): their type, the invoice they credit, and the links."""

from __future__ import annotations

import pytest

LINE = {"code": "KAVA-500", "amount": "1", "price": "12.29", "tax": "095"}


@pytest.fixture
def invoice(put_order):
    """An order with its invoice: ``(order answer, invoice mk_id)``."""
    order = put_order(create_invoice="true")
    return order, order["attachment_list"][0]["bill_mk_id"]


def credit_note(seed, **overrides):
    return {"doc_type": "sales_bill_credit_note", "doc_date": "20.01.2026", "partner": dict(seed.novak),
            "product_list": [LINE], **overrides}


@pytest.mark.parametrize("kind", ["financial", "goods"])
def test_a_credit_note_names_the_invoice_it_credits_and_both_list_each_other(mk, seed, invoice, kind):
    _, bill_id = invoice
    bill = mk.document("sales_bill_domestic", bill_id)
    answer = mk.ok("put_document", **credit_note(seed, credit_note_type=kind, credit_note_bill=bill["count_code"]))
    assert answer["count_code"] == "2026-D00001"
    note = mk.document("sales_bill_credit_note", answer["mk_id"])
    assert (note["doc_type"], note["credit_note_type"], note["credit_note_bill"]) == (
        "sales_bill_credit_note", kind, bill["count_code"])
    assert note["doc_link_list"] == [{"mk_id": bill_id, "count_code": bill["count_code"],
                                      "doc_type": "sales_bill_domestic"}]
    assert {"mk_id": answer["mk_id"], "count_code": "2026-D00001", "doc_type": "sales_bill_credit_note"} in (
        mk.document("sales_bill_domestic", bill_id)["doc_link_list"])


@pytest.mark.parametrize("kind", ["financial", "goods"])
def test_a_financial_or_goods_credit_note_needs_its_invoice(mk, sim, seed, invoice, kind):
    assert mk.error("put_document", "2", **credit_note(seed, credit_note_type=kind)) == (
        "Paramether 'credit_note_bill' is required")
    desc = mk.error("put_document", "2", **credit_note(seed, credit_note_type=kind, credit_note_bill="2026-99999"))
    assert desc.startswith("Paramether 'credit_note_bill' has invalid value : 2026-99999")
    assert sim.documents("sales_bill_credit_note") == []


def test_an_order_is_no_invoice_to_credit(mk, seed, invoice):
    order, _ = invoice
    desc = mk.error("put_document", "2", **credit_note(seed, credit_note_type="financial",
                                                      credit_note_bill=order["count_code"]))
    assert "'credit_note_bill' has invalid value" in desc


def test_a_credit_note_needs_a_known_type(mk, seed):
    assert mk.error("put_document", "2", **credit_note(seed)) == "Paramether 'credit_note_type' is required"
    assert mk.error("put_document", "2", **credit_note(seed, credit_note_type="partial")) == (
        "Paramether 'credit_note_type' has invalid value : partial. Valid values : financial,goods,standalone")


def test_a_standalone_credit_note_needs_no_invoice(mk, seed):
    answer = mk.ok("put_document", **credit_note(seed, credit_note_type="standalone"))
    note = mk.document("sales_bill_credit_note", answer["mk_id"])
    assert note["credit_note_type"] == "standalone" and "doc_link_list" not in note and "credit_note_bill" not in note


def test_a_credit_note_without_a_partner_takes_the_invoices(mk, seed, invoice):
    _, bill_id = invoice
    bill = mk.document("sales_bill_domestic", bill_id)
    answer = mk.ok("put_document", **credit_note(seed, partner=None, credit_note_type="financial",
                                                credit_note_bill=bill["count_code"]))
    assert mk.document("sales_bill_credit_note", answer["mk_id"])["partner"] == bill["partner"]
    assert mk.error("put_document", "2", **credit_note(seed, partner=None, credit_note_type="standalone")) == (
        "Partner data are missing")


def test_a_credit_note_changes_no_stock(mk, seed, invoice):
    _, bill_id = invoice
    before = mk.ok("warehouse_stock", product_code_list="KAVA-500")["stock_list"]
    bill = mk.document("sales_bill_domestic", bill_id)
    mk.ok("put_document", **credit_note(seed, credit_note_type="goods", credit_note_bill=bill["count_code"]))
    assert mk.ok("warehouse_stock", product_code_list="KAVA-500")["stock_list"] == before
