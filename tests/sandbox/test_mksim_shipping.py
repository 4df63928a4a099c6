"""mark_orders_as_shipped."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

AUSTRIAN_RECEIVER = {"customer": "Gasthof Berger", "street": "Hauptplatz 1", "post_number": "8010", "place": "Graz",
                     "country": "AT"}


def statuses(mk, *orders):
    return [mk.document("sales_order", order["mk_id"]).get("status_desc") for order in orders]


@pytest.fixture
def three(put_order):
    return [put_order(buyer_order=f"SHIP-{n}") for n in (1, 2, 3)]


def test_by_sales_order_id_list(mk, three):
    answer = mk.ok("mark_orders_as_shipped", sales_order_id_list=[three[0]["mk_id"], three[2]["mk_id"]])
    assert set(answer) == {"opr_code", "opr_time_ms"}
    assert statuses(mk, *three) == ["shipped", None, "shipped"]
    assert mk.document("sales_order", three[0]["mk_id"])["status_code"] == "Odpremljen"


def test_by_customer_order_list(mk, three):
    mk.ok("mark_orders_as_shipped", customer_order_list=["SHIP-2"])
    assert statuses(mk, *three) == [None, "shipped", None]


def test_by_country_and_status(mk, put_order, seed, three):
    austrian = put_order(buyer_order="AT-1", partner=seed.alpen)
    delivered_to_austria = put_order(buyer_order="AT-2", receiver=AUSTRIAN_RECEIVER)
    waiting = put_order(buyer_order="AT-3", partner=seed.alpen)
    for order in (austrian, delivered_to_austria, three[0]):
        mk.ok("change_document_status", doc_type="sales_order", mk_id=order["mk_id"], status_code="ready_to_ship")
    mk.ok("mark_orders_as_shipped", country="Austria", status_code="ready_to_ship")
    assert statuses(mk, austrian, delivered_to_austria, waiting) == ["shipped", "shipped", None]
    assert statuses(mk, three[0]) == ["ready_to_ship"]  # a Slovenian order


@pytest.mark.parametrize("selectors", [
    {},
    {"sales_order_id_list": ["1"], "customer_order_list": ["SHIP-1"]},
    {"customer_order_list": ["SHIP-1"], "country": "SI", "status_code": "created"},
])
def test_exactly_one_selector(mk, three, selectors):
    desc = mk.error("mark_orders_as_shipped", "2", **selectors)
    assert "'sales_order_id_list', 'customer_order_list' or 'country' with 'status_code'" in desc
    assert statuses(mk, *three) == [None, None, None]


@pytest.mark.parametrize("half, missing", [({"country": "SI"}, "status_code"), ({"status_code": "created"}, "country")])
def test_country_and_status_code_go_together(mk, three, half, missing):
    assert mk.error("mark_orders_as_shipped", "2", **half) == (
        f"Paramether '{missing}' is required with '{next(iter(half))}'")


def test_an_unknown_order_or_status_changes_nothing(mk, three):
    assert mk.error("mark_orders_as_shipped", "2", sales_order_id_list=[three[0]["mk_id"], "1600999999"]) == (
        "Cannot find document type sales_order with id = 1600999999")
    assert mk.error("mark_orders_as_shipped", "2", customer_order_list=["SHIP-1", "NOPE"]) == (
        "Cannot find document type sales_order with buyer_order = NOPE")
    assert "Dinamični šifrant" in mk.error("mark_orders_as_shipped", "2", country="SI", status_code="sent")
    assert statuses(mk, *three) == [None, None, None]


def test_the_status_set_is_the_registers_shipped_entry(mk, sim, three):
    sim.set_status_register("sales_order", [("Novo", "created"), ("Odposlan", "dispatched")])
    mk.ok("mark_orders_as_shipped", sales_order_id_list=[three[0]["mk_id"]])
    document = mk.document("sales_order", three[0]["mk_id"])
    assert (document["status_code"], document["status_desc"]) == ("Odposlan", "dispatched")
    sim.set_status_register("sales_order", [("Novo", "created")])
    assert mk.error("mark_orders_as_shipped", "6", sales_order_id_list=[three[1]["mk_id"]])


def test_only_orders_whose_status_changes_get_a_new_last_change_ts(mk, sim, three):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    mk.ok("change_document_status", doc_type="sales_order", mk_id=three[0]["mk_id"], status_code="shipped")
    sim.set_now(start + timedelta(hours=1))
    mk.ok("mark_orders_as_shipped", customer_order_list="SHIP-1,SHIP-2")
    first, second = (mk.document("sales_order", order["mk_id"])["last_change_ts"] for order in three[:2])
    assert (first, second) == ("2026-06-01T10:00:00+02:00", "2026-06-01T11:00:00+02:00")
