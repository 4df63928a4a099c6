"""Payments: mark_paid on put_document and the put_transaction endpoint."""

from __future__ import annotations


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
