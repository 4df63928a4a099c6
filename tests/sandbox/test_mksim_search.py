"""The search endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


def found(mk, doc_type="sales_order", **params):
    answer = mk.ok("search", doc_type=doc_type, **params)
    return [r["count_code"] for r in answer.get("result", [])]


@pytest.fixture
def orders(put_order, seed):
    return [
        put_order(buyer_order="SHOP-1", title="Naročilo Maja", doc_date="10.01.2026"),
        put_order(buyer_order="SHOP-2", doc_date="20.01.2026", partner=seed.kranjc),
        put_order(buyer_order="SHOP-3", doc_date="05.02.2026", mark_paid=[{"payment_type": "PayPal"}]),
    ]


def test_free_text_query(mk, orders):
    assert found(mk, query="shop-2") == ["PP-2"]  # buyer_order, case-insensitive
    assert found(mk, query="PP-3") == ["PP-3"]  # count_code
    assert found(mk, query="maja") == ["PP-1"]  # title
    assert found(mk, query="kranjc") == ["PP-2"]  # partner name
    assert found(mk, query="nothing like it") == []


def test_doc_date_filters_accept_winter_and_summer_offsets(mk, orders):
    january = [{"type": "doc_date_from", "value": "2026-01-01+01:00"},
               {"type": "doc_date_to", "value": "2026-01-31+01:00"}]
    assert found(mk, query_advance=january) == ["PP-1", "PP-2"]
    assert found(mk, query_advance=[{"type": "doc_date_from", "value": "20.01.2026"}]) == ["PP-2", "PP-3"]


def test_last_change_filters(mk, sim, put_order, order_body):
    start = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    first, second = put_order(buyer_order="A"), put_order(buyer_order="B")
    sim.set_now(start + timedelta(hours=2))
    mk.ok("update_document", doc_type="sales_order", mk_id=first["mk_id"], notes="changed")
    since = [{"type": "last_change_from", "value": "2026-04-01T13:00:00+02:00"}]
    assert found(mk, query_advance=since) == [first["count_code"]]
    until = [{"type": "last_change_to", "value": "2026-04-01T12:30:00+02:00"}]
    assert found(mk, query_advance=until) == [second["count_code"]]


def test_orders_whose_status_changed_are_found_by_last_change_and_status_list(mk, sim, put_order):
    start = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    shipped, paused, untouched = (put_order(buyer_order=name) for name in ("A", "B", "C"))
    mk.ok("change_document_status", doc_type="sales_order", mk_id=untouched["mk_id"], status_code="shipped")
    sim.set_now(start + timedelta(hours=2))
    mk.ok("change_document_status", doc_type="sales_order", mk_id=shipped["mk_id"], status_code="shipped")
    mk.ok("change_document_status", doc_type="sales_order", mk_id=paused["mk_id"], status_code="paused")
    since = {"type": "last_change_from", "value": "2026-04-01T13:00:00+02:00"}
    assert found(mk, query_advance=[since]) == [shipped["count_code"], paused["count_code"]]
    assert found(mk, query_advance=[since, {"type": "status_list", "value": "shipped"}]) == [shipped["count_code"]]
    answer = mk.ok("search", doc_type="sales_order", result_type="doc", query_advance=[since])
    assert [(d["status_code"], d["status_desc"], d["last_change_ts"]) for d in answer["result"]] == [
        ("Odpremljen", "shipped", "2026-04-01T14:00:00+02:00"), ("Pavziran", "paused", "2026-04-01T14:00:00+02:00")]


def test_customer_order_partner_status_and_payment_filters(mk, orders, seed):
    assert found(mk, query_advance=[{"type": "customer_order", "value": "SHOP-3"}]) == ["PP-3"]
    assert found(mk, query_advance=[{"type": "partner_mk_id", "value": seed.kranjc["mk_id"]}]) == ["PP-2"]
    mk.ok("change_document_status", doc_type="sales_order", mk_id=orders[0]["mk_id"], status_code="draft")
    mk.ok("change_document_status", doc_type="sales_order", mk_id=orders[1]["mk_id"], status_code="ready_to_ship")
    assert found(mk, query_advance=[{"type": "status_list", "value": "draft,ready_to_ship"}]) == ["PP-1", "PP-2"]
    assert found(mk, query_advance=[{"type": "payment_status", "value": "false"}]) == ["PP-1", "PP-2"]
    assert found(mk, query_advance=[{"type": "payment_status", "value": "true"}]) == ["PP-3"]


def test_result_shapes(mk, orders):
    mk.ok("change_document_status", doc_type="sales_order", mk_id=orders[0]["mk_id"], status_code="shipped")
    short = mk.ok("search", doc_type="sales_order", show_status_code="true", limit=1)
    assert short["result"] == [{"mk_id": orders[0]["mk_id"], "opr_code": "0", "count_code": "PP-1",
                                "status_code": "Odpremljen"}]
    assert (short["result_all_records"], short["result_count"], short["offset"], short["limit"]) == ("3", "1", "0", "1")
    full = mk.ok("search", doc_type="sales_order", result_type="doc", show_product_detail="true")
    documents = full["result"]
    assert [d["buyer_order"] for d in documents] == ["SHOP-1", "SHOP-2", "SHOP-3"]
    assert documents[2]["sum_paid"] == "26.92" and documents[0]["product_list"][0]["mk_row_id"]


def test_order_direction_and_doc_type(mk, orders, put_order):
    put_order(doc_type="sales_bill_domestic")
    assert found(mk, order_direction="desc") == ["PP-3", "PP-2", "PP-1"]
    assert found(mk, "sales_bill_domestic") == ["2026-00001"]
    assert found(mk, "sales_offer") == []


def test_search_errors(mk):
    assert mk.error("search", "2", doc_type="complaint_x") == "Unknown document type : complaint_x"
    assert "unknown type" in mk.error("search", "2", doc_type="sales_order",
                                      query_advance=[{"type": "favourite_colour", "value": "blue"}])
    assert "has invalid value" in mk.error("search", "2", doc_type="sales_order", limit="many")
