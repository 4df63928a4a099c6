"""Hooks that change an order "in Metakocka", as a user of its web application would: in Python
(``sim.set_order_status``, ``sim.edit_order``) and over HTTP (``/_sandbox/order_status``,
``/_sandbox/edit_order``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

START = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def placed(sim, put_order):
    """An order put at START, with the clock then an hour later."""
    sim.set_now(START)
    order = put_order(notes="Pustite pri sosedu", product_list=[
        {"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095"},
        {"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4"}])
    sim.set_now(START + timedelta(hours=1))
    return order


def changed_since(mk, moment="2026-06-01T10:30:00+02:00", **extra):
    query = [{"type": "last_change_from", "value": moment}, *extra.get("query_advance", [])]
    return [r["mk_id"] for r in mk.ok("search", doc_type="sales_order", query_advance=query).get("result", [])]


def admin(sim, name, **body):
    return requests.post(f"{sim.url}/_sandbox/{name}", json=body, timeout=5)


# --- status ----------------------------------------------------------------------------------


def test_set_order_status_sets_it_by_opis_and_moves_last_change_ts(mk, sim, placed):
    shown = sim.set_order_status(placed["mk_id"], "ready_to_ship")
    assert (shown["status_code"], shown["status_desc"]) == ("Pripravljen za odpremo", "ready_to_ship")
    assert shown["last_change_ts"] == "2026-06-01T11:00:00+02:00"
    document = mk.document("sales_order", placed["mk_id"])
    assert document["status_desc"] == "ready_to_ship"
    status_filter = [{"type": "status_list", "value": "ready_to_ship"}]
    assert changed_since(mk, query_advance=status_filter) == [placed["mk_id"]]


def test_setting_the_same_status_again_moves_nothing(sim, placed):
    sim.set_order_status(placed["mk_id"], "paused")
    sim.set_now(START + timedelta(hours=2))
    assert sim.set_order_status(placed["mk_id"], "paused")["last_change_ts"] == "2026-06-01T11:00:00+02:00"


def test_set_order_status_refuses_what_metakocka_would(sim, placed):
    with pytest.raises(ValueError, match="Dinamični šifrant"):
        sim.set_order_status(placed["mk_id"], "Odpremljen")  # the Vrednost, not the Opis
    with pytest.raises(ValueError, match="Cannot find document type sales_order with id = 1600999999"):
        sim.set_order_status("1600999999", "shipped")


def test_set_order_status_is_not_an_api_call(sim, placed):
    sim.clear_requests()
    sim.set_order_status(placed["mk_id"], "canceled")
    assert sim.requests == []


def test_cancelling_in_metakocka_releases_the_reservation(mk, sim, placed):
    sim.set_order_status(placed["mk_id"], "canceled")
    [row] = mk.ok("warehouse_stock", product_code_list="KAVA-500", wh_id_list="1600000101")["stock_list"]
    assert row["reserved_amount"] == "0"


def test_the_status_from_the_admin_endpoint(mk, sim, placed):
    answer = admin(sim, "order_status", mk_id=placed["mk_id"], status_code="shipped")
    assert answer.status_code == 200 and answer.json()["status_code"] == "Odpremljen"
    assert mk.document("sales_order", placed["mk_id"])["status_desc"] == "shipped"
    assert admin(sim, "order_status", mk_id=placed["mk_id"]).status_code == 400
    refused = admin(sim, "order_status", mk_id=placed["mk_id"], status_code="sent")
    assert refused.status_code == 400 and "Dinamični šifrant" in refused.json()["error"]


# --- fields and lines ------------------------------------------------------------------------


def test_edit_order_changes_head_fields_and_moves_last_change_ts(mk, sim, placed):
    sim.edit_order(placed["mk_id"], title="Popravljeno", notes="", delivery_type="GLS", doc_date="17.01.2026")
    document = mk.document("sales_order", placed["mk_id"])
    assert (document["title"], document["delivery_type"], document["doc_date"]) == (
        "Popravljeno", "GLS", "2026-01-17+02:00")
    assert "notes" not in document
    assert document["last_change_ts"] == "2026-06-01T11:00:00+02:00"
    assert changed_since(mk) == [placed["mk_id"]]


def test_edit_order_changes_lines_as_update_document_does(mk, sim, placed):
    rows = {line["code"]: line["mk_row_id"] for line in sim.document(placed["mk_id"])["product_list"]}
    shown = sim.edit_order(placed["mk_id"], product_list=[{"mk_row_id": rows["KAVA-500"], "amount": "3"}],
                           product_remove=[{"code": "MLIN-01"}],
                           product_add=[{"code": "TERMOS", "amount": "1", "price": "16.39", "tax": "EX4"}])
    assert [(line["code"], line["amount"]) for line in shown["product_list"]] == [("KAVA-500", "3"), ("TERMOS", "1")]
    assert shown["product_list"][0]["mk_row_id"] == rows["KAVA-500"]
    document = mk.document("sales_order", placed["mk_id"])
    assert document["sum_all"] == "60.37"  # 3 × 12.29 = 36.87 + 3.50 tax, 16.39 + 3.61 tax
    [row] = mk.ok("warehouse_stock", product_code_list="KAVA-500", wh_id_list="1600000101")["stock_list"]
    assert row["reserved_amount"] == "3"


def test_an_edit_that_changes_nothing_moves_nothing(mk, sim, placed):
    sim.edit_order(placed["mk_id"], notes="Pustite pri sosedu", title="")
    assert mk.document("sales_order", placed["mk_id"])["last_change_ts"] == "2026-06-01T10:00:00+02:00"
    assert changed_since(mk) == []


def test_edit_order_refuses_what_metakocka_would(mk, sim, placed):
    with pytest.raises(ValueError, match="cannot edit colour"):
        sim.edit_order(placed["mk_id"], colour="red")
    with pytest.raises(ValueError, match="No invoice for given sales order"):
        sim.edit_order(placed["mk_id"], notes="changed", tracking_code="JJD1")
    with pytest.raises(ValueError, match="doc_date"):
        sim.edit_order(placed["mk_id"], doc_date="2026-01-17")
    assert mk.document("sales_order", placed["mk_id"])["notes"] == "Pustite pri sosedu"  # nothing was written


def test_edit_order_from_the_admin_endpoint(mk, sim, placed):
    answer = admin(sim, "edit_order", mk_id=placed["mk_id"], notes="Pokličite prej",
                   product_add=[{"code": "SKODELICA", "amount": "2", "tax": "220"}])
    assert answer.status_code == 200
    assert [line["code"] for line in answer.json()["product_list"]] == ["KAVA-500", "MLIN-01", "SKODELICA"]
    assert mk.document("sales_order", placed["mk_id"])["notes"] == "Pokličite prej"
    assert admin(sim, "edit_order", notes="x").status_code == 400
    unknown = admin(sim, "edit_order", mk_id="1600999999", notes="x")
    assert unknown.status_code == 400 and "1600999999" in unknown.json()["error"]
