"""The client against the simulator, over HTTP: the document operations."""

from decimal import Decimal

import pytest

from metakocka_api import NotFoundError, ValidationError
from metakocka_api.values import parse_number


def test_put_document_creates_a_sales_order_that_get_document_returns(client, sim, order_body):
    created = client.put_document(order_body())

    assert created["opr_code"] == "0"
    assert created["mk_id"].isdigit()
    document = client.get_document("sales_order", created["mk_id"])
    assert document["buyer_order"] == "ODOO-SO-1"
    assert document["count_code"] == created["count_code"]
    assert len(document["product_list"]) == 2
    # 2 × 10.00 − 10 % = 18.00 (+3.96 tax) and 5.00 (+0.475 → 0.48 tax)
    assert parse_number(document["sum_basic"]) == Decimal("23.00")
    assert parse_number(document["sum_all"]) == Decimal("27.44")
    assert sim.count("put_document") == 1


def test_get_document_by_buyer_order(client, order_body):
    created = client.put_document(order_body(buyer_order="ODOO-SO-42"))
    assert client.find_sales_order("ODOO-SO-42")["mk_id"] == created["mk_id"]
    assert client.find_sales_order("ODOO-SO-404") is None


def test_unknown_document_is_not_found(client):
    with pytest.raises(NotFoundError) as caught:
        client.get_document("sales_order", "1999999999999")
    assert caught.value.opr_code == "2"


def test_put_document_with_mk_id_replaces_the_whole_document(client, order_body):
    created = client.put_document(order_body())
    replacement = order_body()
    replacement["mk_id"] = created["mk_id"]
    replacement["product_list"] = replacement["product_list"][:1]
    client.put_document(replacement)

    document = client.get_document("sales_order", created["mk_id"])
    assert len(document["product_list"]) == 1
    assert document["count_code"] == created["count_code"]


def test_unknown_product_code_is_a_validation_error_with_metakockas_message(client, order_body, sim):
    body = order_body()
    body["product_list"][0]["code"] = "NO-SUCH-CODE"
    with pytest.raises(ValidationError) as caught:
        client.put_document(body)
    assert caught.value.opr_code == "8"
    assert "NO-SUCH-CODE" in str(caught.value)
    assert sim.count("put_document") == 1  # refused, so not retried


def test_offers_and_bills_are_found_by_buyer_order(client, order_body):
    offer = client.put_document(order_body(buyer_order="ODOO-Q-7", doc_type="sales_offer"))
    bill = client.put_document(order_body(buyer_order="ODOO-INV-7", doc_type="sales_bill_domestic"))
    client.put_document(order_body(buyer_order="ODOO-Q-77", doc_type="sales_offer"))

    assert [doc["mk_id"] for doc in client.find_documents_by_buyer_order("sales_offer", "ODOO-Q-7")] == [offer["mk_id"]]
    assert [doc["mk_id"] for doc in client.find_documents_by_buyer_order("sales_bill_domestic", "ODOO-INV-7")] == [
        bill["mk_id"]
    ]
    assert client.find_documents_by_buyer_order("sales_order", "ODOO-Q-7") == []


def test_update_status_and_delete_a_sales_order(client, order_body):
    created = client.put_document(order_body())
    client.change_document_status("sales_order", "shipped", mk_id=created["mk_id"])
    assert client.get_document("sales_order", created["mk_id"])["status_desc"] == "shipped"

    client.update_document("sales_order", {"mk_id": created["mk_id"], "notes": "Leave at the door"})
    assert client.get_document("sales_order", created["mk_id"])["notes"] == "Leave at the door"

    with pytest.raises(ValidationError):
        client.change_document_status("sales_order", "no_such_status", mk_id=created["mk_id"])

    client.delete_document("sales_order", created["mk_id"])
    with pytest.raises(NotFoundError):
        client.get_document("sales_order", created["mk_id"])


def test_put_transaction_adds_a_payment(client, order_body):
    created = client.put_document(order_body())
    client.put_transaction({
        "doc_type": "sales_order", "mk_id": created["mk_id"], "payment_mode": "payment",
        "payment_type": "Transakcijski račun", "date": "15.01.2026", "price": "10.00",
    })
    assert parse_number(client.get_document("sales_order", created["mk_id"])["sum_paid"]) == Decimal("10.00")


def test_iter_search_pages_through_more_than_one_hundred_documents(client, order_body, sim):
    for number in range(205):
        client.put_document(order_body(buyer_order=f"BULK-{number}"))
    sim.clear_requests()

    found = list(client.iter_search("sales_order", result_type="doc"))

    assert len(found) == 205
    assert len({doc["mk_id"] for doc in found}) == 205
    assert sim.count("search") == 3  # 100 + 100 + 5
    assert all(len(req.body.get("query_advance", [])) == 0 for req in sim.requests)


def test_search_filters_on_last_change(client, order_body):
    client.put_document(order_body(buyer_order="OLD"))
    found = list(client.iter_search(
        "sales_order", query_advance=[("last_change_from", "2099-01-01T00:00:00+01:00")]
    ))
    assert found == []
