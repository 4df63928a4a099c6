"""update_document, delete_document and change_document_status."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

TWO_LINES = [
    {"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095"},
    {"code": "MLIN-01", "amount": "3", "price": "32.70", "tax": "EX4"},
]


def reserved(mk, code, warehouse_id="1600000101"):
    rows = mk.ok("warehouse_stock", product_code_list=code, wh_id_list=warehouse_id)["stock_list"]
    return rows[0]["reserved_amount"]


def lines(mk, mk_id):
    document = mk.document("sales_order", mk_id, show_product_detail="true")
    return [(line["code"], line["amount"]) for line in document.get("product_list", [])], document


# --- update_document: sales orders ------------------------------------------------------------


def test_update_changes_head_fields_by_mk_id_or_buyer_order(mk, put_order):
    placed = put_order(notes="old")
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], notes="new notes",
          notes_header="top", delivery_type="DHL", parcel_shop_id="P100", shipped_date="2026-01-20+02:00")
    mk.ok("update_document", doc_type="sales_order", buyer_order="WEB-1001", status_code="shipped",
          discount_value="1.50", count_code_new="PP-RENUMBERED")
    document = mk.document("sales_order", placed["mk_id"])
    assert (document["notes"], document["notes_header"], document["delivery_type"]) == ("new notes", "top", "DHL")
    assert (document["parcel_shop_id"], document["shipped_date"]) == ("P100", "2026-01-20+02:00")
    assert (document["status_code"], document["status_desc"]) == ("Odpremljen", "shipped")
    assert document["count_code"] == "PP-RENUMBERED"
    assert document["sum_all"] == "25.42"  # 26.92 − 1.50


def test_update_only_moves_last_change_ts_when_something_changed(mk, sim, put_order):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    placed = put_order(notes="same")
    sim.set_now(start + timedelta(hours=1))
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], notes="same")
    assert mk.document("sales_order", placed["mk_id"])["last_change_ts"] == "2026-06-01T10:00:00+02:00"
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], notes="different")
    assert mk.document("sales_order", placed["mk_id"])["last_change_ts"] == "2026-06-01T11:00:00+02:00"


def test_update_status_and_shipped_date_move_last_change_ts_only_when_they_differ(mk, sim, put_order):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    placed = put_order()
    change = {"doc_type": "sales_order", "mk_id": placed["mk_id"], "status_code": "shipped",
              "shipped_date": "2026-06-01+02:00", "delivery_type": "GLS"}
    sim.set_now(start + timedelta(hours=1))
    mk.ok("update_document", **change)
    sim.set_now(start + timedelta(hours=2))
    mk.ok("update_document", **change)
    document = mk.document("sales_order", placed["mk_id"])
    assert (document["status_desc"], document["shipped_date"], document["delivery_type"]) == (
        "shipped", "2026-06-01+02:00", "GLS")
    assert document["last_change_ts"] == "2026-06-01T11:00:00+02:00"


def test_update_refuses_an_unknown_status_naming_the_register(mk, put_order):
    placed = put_order()
    desc = mk.error("update_document", "2", doc_type="sales_order", mk_id=placed["mk_id"], status_code="sent",
                    notes="not written")
    assert "Dinamični šifrant" in desc and "'Prodajna naročila - status'" in desc
    assert "notes" not in mk.document("sales_order", placed["mk_id"])


def test_a_refused_tracking_code_writes_nothing_else(mk, sim, put_order):
    sim.set_now(datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc))
    placed = put_order()
    sim.set_now(datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc))
    mk.error("update_document", "6", doc_type="sales_order", mk_id=placed["mk_id"], tracking_code="JJD1",
             notes="not written", status_code="shipped")
    document = mk.document("sales_order", placed["mk_id"])
    assert not {"notes", "status_code", "tracking_code"} & set(document)
    assert document["last_change_ts"] == "2026-06-01T10:00:00+02:00"


def test_a_tracking_code_is_accepted_once_a_bill_names_the_order(mk, put_order):
    placed = put_order()
    put_order(doc_type="sales_bill_domestic", buyer_order=None, sales_order_list=[{"count_code": placed["count_code"]}])
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], tracking_code="JJD1",
          tracking_intermediate_code="INT-7")
    document = mk.document("sales_order", placed["mk_id"])
    assert (document["tracking_code"], document["tracking_intermediate_code"]) == ("JJD1", "INT-7")


def test_update_create_invoice_answers_and_links_the_invoice(mk, sim, put_order):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    placed = put_order()
    sim.set_now(start + timedelta(hours=1))
    answer = mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], create_invoice="true")
    [attachment] = answer["attachment_list"]
    order = mk.document("sales_order", placed["mk_id"])
    assert order["doc_link_list"] == [{"mk_id": attachment["bill_mk_id"], "count_code": "2026-00001",
                                       "doc_type": "sales_bill_domestic"}]
    assert order["last_change_ts"] == "2026-06-01T11:00:00+02:00"
    assert mk.document("sales_bill_domestic", attachment["bill_mk_id"])["sum_all"] == order["sum_all"]


def test_update_clear_and_extra_columns(mk, put_order):
    placed = put_order(notes="n", notes_header="h", extra_column=[{"name": "ip", "value": "1.1.1.1"}])
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], clear=["notes", "notes_header"],
          extra_column=[{"name": "ip", "value": "2.2.2.2"}, {"name": "store_url", "value": "https://shop.example"}])
    document = mk.document("sales_order", placed["mk_id"])
    assert "notes" not in document and "notes_header" not in document
    assert document["extra_column"] == [{"name": "ip", "value": "2.2.2.2"},
                                        {"name": "store_url", "value": "https://shop.example"}]
    assert "clear" in mk.error("update_document", "2", doc_type="sales_order", mk_id=placed["mk_id"], clear=["title"])


def test_update_warehouse_and_partner(mk, put_order, seed):
    placed = put_order()
    mk.ok("update_document", doc_type="sales_order", mk_id=placed["mk_id"], warehouse="trgovina", partner=seed.kranjc)
    document = mk.document("sales_order", placed["mk_id"])
    assert document["warehouse"] == "trgovina" and document["partner"]["customer"] == "Janez Kranjc"
    assert reserved(mk, "KAVA-500") == "0" and reserved(mk, "KAVA-500", seed.shop) == "2"


def test_update_adds_changes_and_removes_lines(mk, put_order):
    placed = put_order(product_list=TWO_LINES)
    mk_id = placed["mk_id"]
    mk.ok("update_document", doc_type="sales_order", mk_id=mk_id,
          product_add=[{"code": "SKODELICA", "amount": "6", "price": "8.20", "tax": "220"}])
    current, document = lines(mk, mk_id)
    assert current == [("KAVA-500", "2"), ("MLIN-01", "3"), ("SKODELICA", "6")]
    rows = {line["code"]: line["mk_row_id"] for line in document["product_list"]}

    mk.ok("update_document", doc_type="sales_order", mk_id=mk_id, product_list=[
        {"mk_row_id": rows["KAVA-500"], "amount": "4"},
        {"mk_row_id": rows["SKODELICA"], "mark_delete": "true"},
        {"code": "TERMOS", "amount": "1", "price": "16.39", "tax": "EX4"},
    ])
    current, document = lines(mk, mk_id)
    assert current == [("KAVA-500", "4"), ("MLIN-01", "3"), ("TERMOS", "1")]
    kava = document["product_list"][0]
    assert kava["mk_row_id"] == rows["KAVA-500"] and kava["price"] == "12.29"  # the rest of the line is kept

    mk.ok("update_document", doc_type="sales_order", mk_id=mk_id,
          product_remove=[{"code": "MLIN-01", "amount": "1"}, {"code": "TERMOS"}])
    assert lines(mk, mk_id)[0] == [("KAVA-500", "4"), ("MLIN-01", "2")]
    assert reserved(mk, "KAVA-500") == "4" and reserved(mk, "MLIN-01") == "2"
    assert document["sum_basic"] != mk.document("sales_order", mk_id)["sum_basic"]

    assert "Cannot find document row" in mk.error("update_document", "2", doc_type="sales_order", mk_id=mk_id,
                                                  product_remove=[{"mk_row_id": "1"}])


def test_update_of_an_unknown_order_or_type(mk, put_order):
    put_order()
    assert mk.error("update_document", "2", doc_type="sales_order", buyer_order="nope") == (
        "Cannot find document type sales_order with buyer_order = nope")
    offer = put_order(doc_type="sales_offer")
    assert "not supported" in mk.error("update_document", "2", doc_type="sales_offer", mk_id=offer["mk_id"])


# --- update_document: bills -----------------------------------------------------------------


def test_a_bill_only_takes_a_status(mk, put_order):
    bill = put_order(doc_type="sales_bill_domestic", notes="kept")
    mk.ok("update_document", doc_type="sales_bill_domestic", count_code=bill["count_code"], status_code="created",
          notes="ignored")
    document = mk.document("sales_bill_domestic", bill["mk_id"])
    assert (document["status_code"], document["status_desc"], document["notes"]) == ("Izdelan", "created", "kept")
    mk.ok("update_document", doc_type="sales_bill_domestic", mk_id=bill["mk_id"], status_code="")
    assert "status_code" not in mk.document("sales_bill_domestic", bill["mk_id"])


# --- delete_document --------------------------------------------------------------------------


def test_delete_document_needs_mk_id_and_doc_type(mk, put_order):
    placed = put_order()
    desc = mk.error("delete_document", "2", doc_type="sales_order", doc_id=placed["mk_id"])
    assert desc == "Paramether mk_id must be set"
    assert mk.error("delete_document", "1", mk_id=placed["mk_id"]) == "Internal server error."
    assert reserved(mk, "KAVA-500") == "2"
    mk.ok("delete_document", doc_type="sales_order", mk_id=placed["mk_id"])
    assert mk.error("get_document", "2", doc_type="sales_order", doc_id=placed["mk_id"])
    assert reserved(mk, "KAVA-500") == "0"
    assert mk.error("delete_document", "2", doc_type="sales_order", mk_id=placed["mk_id"])


def test_bills_cannot_be_deleted(mk, put_order):
    bill = put_order(doc_type="sales_bill_domestic")
    assert "not supported" in mk.error("delete_document", "2", doc_type="sales_bill_domestic", mk_id=bill["mk_id"])


def test_deleting_an_invoiced_order_unlinks_the_invoice(mk, put_order):
    placed = put_order(create_invoice="true")
    bill_id = placed["attachment_list"][0]["bill_mk_id"]
    mk.ok("delete_document", doc_type="sales_order", mk_id=placed["mk_id"])
    assert "doc_link_list" not in mk.document("sales_bill_domestic", bill_id)


# --- change_document_status -------------------------------------------------------------------


def test_change_status_by_mk_id_list_and_buyer_order(mk, put_order):
    first, second = put_order(buyer_order="A"), put_order(buyer_order="B")
    mk.ok("change_document_status", doc_type="sales_order", mk_id_list=[int(first["mk_id"]), int(second["mk_id"])],
          status_code="new_order")
    assert {mk.document("sales_order", p["mk_id"])["status_code"] for p in (first, second)} == {"Novo naročilo"}
    mk.ok("change_document_status", doc_type="sales_order", buyer_order="B", status_code="lost",
          api_user_email="api@sandbox.example")
    assert mk.document("sales_order", second["mk_id"])["status_desc"] == "lost"
    assert mk.error("change_document_status", "6", doc_type="sales_order", buyer_order="B", status_code="damaged",
                    api_user_email="nobody@example.com") == (
        "Cannot find email 'nobody@example.com' for paramether api_user_email")


def test_change_status_moves_last_change_ts_only_when_the_status_differs(mk, sim, put_order):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    placed = put_order()
    for hours in (1, 2):
        sim.set_now(start + timedelta(hours=hours))
        mk.ok("change_document_status", doc_type="sales_order", mk_id=placed["mk_id"], status_code="ready_to_ship")
    assert mk.document("sales_order", placed["mk_id"])["last_change_ts"] == "2026-06-01T11:00:00+02:00"


def test_an_unknown_mk_id_in_the_list_changes_nothing(mk, put_order):
    placed = put_order()
    mk.error("change_document_status", "2", doc_type="sales_order", mk_id_list=[placed["mk_id"], "1600999999"],
             status_code="paused")
    assert "status_code" not in mk.document("sales_order", placed["mk_id"])


def test_canceled_releases_the_reservation(mk, put_order):
    placed = put_order()
    assert reserved(mk, "KAVA-500") == "2"
    mk.ok("change_document_status", doc_type="sales_order", mk_id=placed["mk_id"], status_code="canceled")
    assert reserved(mk, "KAVA-500") == "0"
    mk.ok("change_document_status", doc_type="sales_order", mk_id=placed["mk_id"], status_code="created")
    assert reserved(mk, "KAVA-500") == "2"


def test_the_status_register_is_configurable(mk, sim, put_order):
    placed = put_order()
    sim.set_status_register("sales_order", [("V pripravi", "in_progress")])
    mk.ok("change_document_status", doc_type="sales_order", mk_id=placed["mk_id"], status_code="in_progress")
    assert mk.document("sales_order", placed["mk_id"])["status_code"] == "V pripravi"
    desc = mk.error("change_document_status", "2", doc_type="sales_order", mk_id=placed["mk_id"], status_code="shipped")
    assert desc.startswith("Paramether 'status_code' has invalid value : shipped") and "Dinamični šifrant" in desc


@pytest.mark.parametrize("missing", ["status_code", "identification"])
def test_change_status_needs_a_status_and_a_document(mk, put_order, missing):
    placed = put_order()
    body = {"doc_type": "sales_order", "mk_id": placed["mk_id"], "status_code": "paused"}
    body.pop("mk_id" if missing == "identification" else "status_code")
    assert "is required" in mk.error("change_document_status", "2", **body)
