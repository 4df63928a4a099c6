"""Warehouse packing lists linked to sales orders: links, stock, reservations, cancellation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sandbox.metakocka import MetakockaSimulator

KAVA = {"code": "KAVA-500", "price": "12.29", "tax": "095"}
SHIPPING = {"code": "delivery_service", "amount": "1", "price": "4.10", "tax": "EX4"}


def level(mk, code, warehouse_id="1600000101"):
    """``(amount, reserved_amount, free_amount)`` of one product in one warehouse."""
    [row] = mk.ok("warehouse_stock", product_code_list=code, wh_id_list=warehouse_id)["stock_list"]
    return row["amount"], row["reserved_amount"], row["free_amount"]


@pytest.fixture
def put_packing_list(mk, seed):
    """Put a packing list for the order ``order`` (its put_document answer) shipping ``lines``."""

    def put(order, *lines, **overrides):
        body = {"doc_type": "warehouse_packing_list", "doc_date": "16.01.2026", "partner": dict(seed.novak),
                "sales_order_list": [{"count_code": order["count_code"]}], "product_list": list(lines), **overrides}
        return mk.ok("put_document", **body)

    return put


def test_a_packing_list_is_numbered_and_shaped_like_a_sales_order(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    answer = put_packing_list(order, {**KAVA, "amount": "2"}, delivery_type="DHL",
                              extra_column=[{"name": "tracking_number", "value": "JJD0001"}])
    assert answer["count_code"] == "DOB-1" and "document_type_short" not in answer
    packing_list = mk.document("warehouse_packing_list", answer["mk_id"])
    assert (packing_list["doc_type"], packing_list["count_code"], packing_list["warehouse"]) == (
        "warehouse_packing_list", "DOB-1", "glavno")
    assert packing_list["partner"]["customer"] == "Kavarna Novak d.o.o."
    assert [(line["code"], line["amount"]) for line in packing_list["product_list"]] == [("KAVA-500", "2")]
    assert packing_list["sum_all"] == "26.92"
    assert packing_list["delivery_type"] == "DHL"
    assert packing_list["extra_column"] == [{"name": "tracking_number", "value": "JJD0001"}]
    assert put_packing_list(order, {**KAVA, "amount": "1"})["count_code"] == "DOB-2"


def test_a_packing_list_and_its_order_list_each_other(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    answer = put_packing_list(order, {**KAVA, "amount": "2"})
    assert mk.document("sales_order", order["mk_id"])["doc_link_list"] == [
        {"mk_id": answer["mk_id"], "count_code": "DOB-1", "doc_type": "warehouse_packing_list"}]
    assert mk.document("warehouse_packing_list", answer["mk_id"])["doc_link_list"] == [
        {"mk_id": order["mk_id"], "count_code": order["count_code"], "doc_type": "sales_order"}]


@pytest.mark.parametrize("reference", [{"mk_id": None}, {"buyer_order": "WEB-1001"}, {"count_code": None}])
def test_a_packing_list_names_its_order_by_mk_id_buyer_order_or_count_code(mk, put_order, put_packing_list,
                                                                           reference):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    [(key, value)] = reference.items()
    answer = put_packing_list(order, {**KAVA, "amount": "2"}, sales_order_list=[{key: value or order[key]}])
    assert mk.document("warehouse_packing_list", answer["mk_id"])["doc_link_list"][0]["mk_id"] == order["mk_id"]


def test_an_unknown_order_refuses_the_packing_list_and_moves_no_stock(mk, sim, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    desc = mk.error("put_document", "2", doc_type="warehouse_packing_list", doc_date="16.01.2026",
                    partner={"mk_id": "1600000201", "mk_address_id": "1600000202"},
                    sales_order_list=[{"count_code": "PP-404"}], product_list=[{**KAVA, "amount": "2"}])
    assert desc == "Cannot find document type sales_order with count_code = PP-404"
    assert sim.documents("warehouse_packing_list") == []
    assert level(mk, "KAVA-500") == ("120", "5", "115")
    assert "doc_link_list" not in mk.document("sales_order", order["mk_id"])


def test_a_packing_list_lowers_stock_and_the_orders_reservation_by_what_it_ships(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}, SHIPPING])
    assert level(mk, "KAVA-500") == ("120", "5", "115")
    put_packing_list(order, {**KAVA, "amount": "2"}, SHIPPING)
    assert level(mk, "KAVA-500") == ("118", "3", "115")
    assert mk.ok("warehouse_stock", product_code_list="delivery_service").get("stock_list") is None


def test_several_partial_packing_lists_ship_an_order_in_full(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}, {"code": "MLIN-01", "amount": "2", "tax": "EX4"}])
    put_packing_list(order, {**KAVA, "amount": "2"})
    assert level(mk, "KAVA-500") == ("118", "3", "115") and level(mk, "MLIN-01") == ("15", "2", "13")
    put_packing_list(order, {**KAVA, "amount": "3"}, {"code": "MLIN-01", "amount": "2", "tax": "EX4"})
    assert level(mk, "KAVA-500") == ("115", "0", "115") and level(mk, "MLIN-01") == ("13", "0", "13")
    links = mk.document("sales_order", order["mk_id"])["doc_link_list"]
    assert [link["count_code"] for link in links] == ["DOB-1", "DOB-2"]


def test_shipping_more_than_the_order_left_is_allowed_but_reserves_never_below_zero(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "3"}])
    put_order(buyer_order="OTHER", product_list=[{**KAVA, "amount": "4"}])
    put_packing_list(order, {**KAVA, "amount": "5"})
    assert level(mk, "KAVA-500") == ("115", "4", "111")  # the other order still reserves its 4


def test_stock_drops_in_the_packing_lists_warehouse(mk, put_order, put_packing_list, seed):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    put_packing_list(order, {**KAVA, "amount": "2"}, warehouse="trgovina")
    assert level(mk, "KAVA-500", seed.shop) == ("28", "0", "28")
    assert level(mk, "KAVA-500", seed.main) == ("120", "3", "117")  # the order reserves in its own warehouse


def test_a_packing_list_without_stock_takes_the_amount_below_zero(mk, put_order, put_packing_list):
    order = put_order(product_list=[{"code": "TERMOS", "amount": "1", "tax": "EX4"}])
    put_packing_list(order, {"code": "TERMOS", "amount": "1", "tax": "EX4"})
    assert level(mk, "TERMOS") == ("-1", "0", "-1")


def test_replacing_a_packing_list_moves_stock_by_the_difference(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    first = put_packing_list(order, {**KAVA, "amount": "2"})
    put_packing_list(order, {**KAVA, "amount": "4"}, mk_id=first["mk_id"])
    assert level(mk, "KAVA-500") == ("116", "1", "115")
    assert len(mk.document("sales_order", order["mk_id"])["doc_link_list"]) == 1  # linked once, not twice


def test_deleting_a_packing_list_puts_its_stock_back_and_the_order_reserves_again(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    answer = put_packing_list(order, {**KAVA, "amount": "2"})
    mk.ok("delete_document", doc_type="warehouse_packing_list", mk_id=answer["mk_id"])
    assert level(mk, "KAVA-500") == ("120", "5", "115")
    assert "doc_link_list" not in mk.document("sales_order", order["mk_id"])


def test_a_packing_list_for_two_orders_serves_them_in_the_order_named(mk, put_order, put_packing_list):
    first = put_order(buyer_order="A", product_list=[{**KAVA, "amount": "2"}])
    second = put_order(buyer_order="B", product_list=[{**KAVA, "amount": "4"}])
    put_packing_list(first, {**KAVA, "amount": "3"},
                     sales_order_list=[{"count_code": first["count_code"]}, {"count_code": second["count_code"]}])
    assert level(mk, "KAVA-500") == ("117", "3", "114")  # A shipped in full, B's 4 less the 1 left over
    for order in (first, second):
        assert mk.document("sales_order", order["mk_id"])["doc_link_list"][0]["count_code"] == "DOB-1"


def test_linking_a_packing_list_moves_the_orders_last_change_ts(mk, sim, put_order, put_packing_list):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    sim.set_now(start + timedelta(hours=1))
    put_packing_list(order, {**KAVA, "amount": "2"})
    assert mk.document("sales_order", order["mk_id"])["last_change_ts"] == "2026-06-01T11:00:00+02:00"


def test_update_document_on_a_packing_list_takes_its_warehouse_fields_and_status(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    answer = put_packing_list(order, {**KAVA, "amount": "2"})
    mk.ok("update_document", doc_type="warehouse_packing_list", mk_id=answer["mk_id"], title="Paket 1",
          notes="krhko", delivery_type="GLS", buyer_order="WEB-1001", status_code="shipped")
    packing_list = mk.document("warehouse_packing_list", answer["mk_id"])
    assert (packing_list["title"], packing_list["notes"], packing_list["delivery_type"]) == ("Paket 1", "krhko", "GLS")
    assert (packing_list["status_code"], packing_list["status_desc"]) == ("Odpremljen", "shipped")
    assert "Dinamični šifrant" in mk.error("update_document", "2", doc_type="warehouse_packing_list",
                                           mk_id=answer["mk_id"], status_code="canceled")


# --- cancellation ---------------------------------------------------------------------------


def test_cancelling_an_order_releases_its_whole_reservation(mk, put_order):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    mk.ok("update_document", doc_type="sales_order", mk_id=order["mk_id"], status_code="canceled")
    assert level(mk, "KAVA-500") == ("120", "0", "120")


def test_cancelling_a_partly_shipped_order_releases_only_the_rest(mk, put_order, put_packing_list):
    order = put_order(product_list=[{**KAVA, "amount": "5"}])
    put_packing_list(order, {**KAVA, "amount": "2"})
    assert level(mk, "KAVA-500") == ("118", "3", "115")
    mk.ok("change_document_status", doc_type="sales_order", mk_id=order["mk_id"], status_code="canceled")
    assert level(mk, "KAVA-500") == ("118", "0", "118")  # what was shipped stays shipped


def test_a_state_file_of_an_older_run_gets_the_warehouse_status_register(tmp_path):
    state_file = tmp_path / "older.sqlite"
    with MetakockaSimulator(state_file=state_file) as sim:
        with sim.store.write() as data:
            del data["statuses"]["warehouse"]  # as a state file written before packing lists existed
    with MetakockaSimulator(state_file=state_file) as sim:
        with sim.store.read() as data:
            assert ["Odpremljen", "shipped"] in data["statuses"]["warehouse"]
