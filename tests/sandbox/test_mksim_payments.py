"""Payments: mark_paid on put_document and the put_transaction endpoint."""

from __future__ import annotations

import pytest
import requests


def test_mark_paid_without_amount_pays_the_whole_document(mk, put_order):
    placed = put_order(mark_paid=[{"payment_type": "PayPal", "date": "16.01.2026"}])
    document = mk.document("sales_order", placed["mk_id"], show_payment_detail="true")
    assert document["sum_paid"] == document["sum_all"] == "26.92"
    assert document["mark_paid"] == [{"payment_type": "PayPal", "date": "16.01.2026", "amount": "26,92"}]


def test_mark_paid_details(mk, put_order):
    placed = put_order(mark_paid=[
        {"payment_type": "Transakcijski račun", "date": "2026-01-20+02:00", "amount": "1234.5", "notes": "UPN"},
        {"payment_type": "PayPal", "amount": "-4.5", "cashRegister": "Blagajna 1"},
    ])
    document = mk.document("sales_order", placed["mk_id"], show_payment_detail="true")
    assert document["mark_paid"] == [
        {"payment_type": "Transakcijski račun", "date": "20.01.2026", "amount": "1.234,50", "notes": "UPN"},
        {"payment_type": "PayPal", "date": "15.01.2026", "amount": "-4,50", "cashRegister": "Blagajna 1"},
    ]
    assert document["sum_paid"] == "1230.00"


def test_put_transaction_adds_one_payment_each_time(mk, put_order):
    placed = put_order()
    mk.ok("put_transaction", doc_type="sales_order", mk_id=placed["mk_id"], payment_type="PayPal",
          date="2026-01-16+02:00", price="10.00")
    mk.ok("put_transaction", doc_type="sales_order", buyer_order="WEB-1001", payment_type="Po povzetju", price="6,92")
    document = mk.document("sales_order", placed["mk_id"], show_payment_detail="true")
    assert document["sum_paid"] == "16.92"
    assert [p["amount"] for p in document["mark_paid"]] == ["10,00", "6,92"]
    mk.ok("put_transaction", doc_type="sales_order", count_code=placed["count_code"], payment_type="PayPal",
          payment_mode="return", price="1")
    assert mk.document("sales_order", placed["mk_id"])["sum_paid"] == "15.92"


def test_put_transaction_on_a_bill_and_at_its_old_path(mk, put_order):
    bill = put_order(doc_type="sales_bill_domestic")
    mk.ok("put_transaction", doc_type="bill", mk_id=bill["mk_id"], payment_type="PayPal", price="6")
    old_path = mk.post("/rest/eshop/v1/json/put_transaction", {
        "secret_key": "sandbox-secret", "company_id": "1000", "doc_type": "sales_bill_domestic",
        "mk_id": bill["mk_id"], "payment_type": "PayPal", "price": "4"}).json()
    assert old_path["opr_code"] == "0"
    assert mk.document("sales_bill_domestic", bill["mk_id"])["sum_paid"] == "10.00"


def test_put_transaction_errors(mk, put_order):
    placed = put_order()
    base = {"doc_type": "sales_order", "mk_id": placed["mk_id"], "price": "1"}
    assert "Valid values : Transakcijski račun" in mk.error("put_transaction", "2", **base, payment_type="Ček")
    mk.error("put_transaction", "6", **base, payment_type="Gotovina")
    assert mk.error("put_transaction", "2", **base) == "Paramether 'payment_type' is required"
    assert "payment_mode" in mk.error("put_transaction", "2", **base, payment_type="PayPal", payment_mode="gift")
    assert mk.error("put_transaction", "2", doc_type="sales_order", mk_id="1600999999", price="1",
                    payment_type="PayPal") == "Cannot find document type sales_order with id = 1600999999"
    assert "sum_paid" not in mk.document("sales_order", placed["mk_id"])


def test_a_bad_payment_fails_the_whole_document(mk, order_body, sim):
    """Nothing half-written: neither the new catalogue product nor the inline partner is kept."""
    body = order_body(
        partner={"customer": "Nova Stranka", "street": "Ulica 1", "post_number": "1000", "place": "Ljubljana"},
        product_list=[{"code": "NOVO-2", "unit": "kos", "amount": "1", "price": "5", "tax": "EX4"}],
        mark_paid=[{"payment_type": "PayPal", "amount": "1"}, {"payment_type": "Nakazilo", "amount": "1"}],
    )
    mk.error("put_document", "2", **body)
    assert sim.documents("sales_order") == []
    assert "product_list" not in mk.ok("product_list", code="NOVO-2")
    mk.error("get_partner", "2", partner_name="Nova Stranka")


# --- show_last_payment_date, and payments made "in Metakocka" ------------------------------------


def put_bill(put_order, **overrides):
    """A domestic bill of 26.92 (2 × 12.29 + 9.5 %) dated 15.01.2026."""
    return put_order(doc_type="sales_bill_domestic", buyer_order="INV-1", **overrides)


def test_show_last_payment_date_on_an_unpaid_bill_adds_nothing(mk, put_order):
    bill = put_bill(put_order)
    document = mk.document("sales_bill_domestic", bill["mk_id"], show_last_payment_date="true")
    assert not {"last_paid_date", "last_paid_sum", "sum_full_paid_when", "sum_creditnote", "sum_paid"} & set(document)


def test_last_payment_and_paid_in_full_as_the_reference_shapes_them(mk, put_order):
    bill = put_bill(put_order)
    mk.ok("put_transaction", doc_type="sales_bill_domestic", mk_id=bill["mk_id"], payment_type="PayPal",
          date="2026-01-20+01:00", price="10")
    part = mk.document("sales_bill_domestic", bill["mk_id"], show_last_payment_date="true")
    assert (part["sum_paid"], part["last_paid_date"], part["last_paid_sum"]) == ("10.00", "20.01.2026", "10.00")
    assert "sum_full_paid_when" not in part
    mk.ok("put_transaction", doc_type="sales_bill_domestic", mk_id=bill["mk_id"], payment_type="PayPal",
          date="03.02.2026", price="16.92")
    full = mk.document("sales_bill_domestic", bill["mk_id"], show_last_payment_date="true")
    assert (full["last_paid_date"], full["last_paid_sum"]) == ("03.02.2026", "16.92")
    assert full["sum_full_paid_when"] == "2026-02-03+02:00"
    assert "last_paid_date" not in mk.document("sales_bill_domestic", bill["mk_id"])  # only when asked


def test_a_return_below_the_total_makes_it_unpaid_again(mk, put_order):
    bill = put_bill(put_order, mark_paid=[{"payment_type": "PayPal", "date": "16.01.2026"}])
    assert mk.document("sales_bill_domestic", bill["mk_id"],
                       show_last_payment_date="true")["sum_full_paid_when"] == "2026-01-16+02:00"
    mk.ok("put_transaction", doc_type="sales_bill_domestic", mk_id=bill["mk_id"], payment_type="PayPal",
          payment_mode="return", date="17.01.2026", price="5")
    document = mk.document("sales_bill_domestic", bill["mk_id"], show_last_payment_date="true")
    assert (document["sum_paid"], document["last_paid_sum"]) == ("21.92", "-5.00")
    assert "sum_full_paid_when" not in document


def test_a_credit_note_counts_towards_paid_in_full(mk, put_order):
    bill = put_bill(put_order, mark_paid=[{"payment_type": "PayPal", "date": "16.01.2026", "amount": "20"}])
    mk.ok("put_document", doc_type="sales_bill_credit_note", doc_date="18.01.2026", credit_note_type="financial",
          credit_note_bill=bill["count_code"],
          product_list=[{"code": "KAVA-500", "amount": "1", "price": "6.32", "tax": "095"}])
    document = mk.document("sales_bill_domestic", bill["mk_id"], show_last_payment_date="true")
    assert (document["sum_creditnote"], document["sum_full_paid_when"]) == ("6.92", "2026-01-18+02:00")
    assert document["sum_paid"] == "20.00"


def test_search_shows_the_payment_fields_and_filters_by_payment_status(mk, put_order):
    paid = put_bill(put_order, mark_paid=[{"payment_type": "PayPal", "date": "16.01.2026"}])
    part = put_bill(put_order, mark_paid=[{"payment_type": "PayPal", "date": "16.01.2026", "amount": "1,5"}])
    open_ = put_bill(put_order)

    def found(status):
        answer = mk.ok("search", doc_type="sales_bill_domestic", result_type="doc", show_last_payment_date="true",
                       query_advance=[{"type": "doc_date_from", "value": "2026-01-15+01:00"},
                                      {"type": "payment_status", "value": status}])
        return {doc["mk_id"]: doc for doc in answer["result"]}

    assert set(found("false")) == {part["mk_id"], open_["mk_id"]}
    assert found("false")[part["mk_id"]]["last_paid_sum"] == "1.50"
    assert found("true")[paid["mk_id"]]["sum_full_paid_when"] == "2026-01-16+02:00"


def test_a_payment_made_in_metakocka(sim, put_order):
    bill = put_bill(put_order)
    sim.clear_requests()
    shown = sim.add_payment(bill["mk_id"], "1.000,5", date="20.01.2026", notes="UPN 42")
    assert (shown["sum_paid"], shown["last_paid_date"], shown["sum_full_paid_when"]) == (
        "1000.50", "20.01.2026", "2026-01-20+02:00")
    assert shown["mark_paid"] == [{"payment_type": "Transakcijski račun", "date": "20.01.2026",
                                   "amount": "1.000,50", "notes": "UPN 42"}]
    assert sim.requests == []  # not an API call
    with pytest.raises(ValueError, match="Valid values"):
        sim.add_payment(bill["mk_id"], "1", payment_type="Ček")
    with pytest.raises(ValueError, match="1600999999"):
        sim.add_payment("1600999999", "1")


def test_a_payment_from_the_admin_endpoint(mk, sim, put_order):
    bill = put_bill(put_order)
    answer = requests.post(f"{sim.url}/_sandbox/payment", json={"mk_id": bill["mk_id"], "amount": "6.92"}, timeout=5)
    assert answer.status_code == 200 and answer.json()["sum_paid"] == "6.92"
    assert mk.document("sales_bill_domestic", bill["mk_id"])["sum_paid"] == "6.92"
    assert requests.post(f"{sim.url}/_sandbox/payment", json={"mk_id": bill["mk_id"]}, timeout=5).status_code == 400
