"""json/warehouse_list, json/warehouse_stock, sync_stock and the stock webhook."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import requests

API_USER = "api@sandbox.example"


def rows(mk, **filters):
    answer = mk.ok("warehouse_stock", **filters)
    return [(r["code"], r["warehouse_id"], r["amount"]) for r in answer.get("stock_list", [])]


def test_warehouse_list(mk, seed):
    answer = mk.ok("warehouse_list")
    assert answer["warehouse_list_count"] == "2"
    main, shop = answer["warehouse_list"]
    assert (main["mk_id"], main["mark"], main["main_warehouse"], main["warehouse_type"]) == (
        seed.main, "glavno", "true", "normal")
    assert (shop["mk_id"], shop["mark"], shop["main_warehouse"], shop["name"]) == (
        seed.shop, "trgovina", "false", "Trgovina Maribor")


def test_warehouse_stock_has_a_row_per_product_and_warehouse(mk, seed):
    assert rows(mk) == [
        ("KAVA-500", seed.main, "120"), ("KAVA-500", seed.shop, "30"), ("KAVA-1000", seed.main, "40"),
        ("MLIN-01", seed.main, "15"), ("MLIN-01", seed.shop, "4"), ("SKODELICA", seed.main, "200"),
        ("SKODELICA", seed.shop, "50"), ("CAJ-ZELENI", seed.main, "2,5"),
    ]  # TERMOS has no stock rows, delivery_service is a service


def test_warehouse_stock_filters(mk, seed):
    assert rows(mk, wh_id_list=seed.shop) == [("KAVA-500", seed.shop, "30"), ("MLIN-01", seed.shop, "4"),
                                              ("SKODELICA", seed.shop, "50")]
    assert rows(mk, product_code_list="MLIN-01,KAVA-1000") == [
        ("KAVA-1000", seed.main, "40"), ("MLIN-01", seed.main, "15"), ("MLIN-01", seed.shop, "4")]
    assert rows(mk, product_code_list="PA-1003") == []  # matches code, not count_code
    assert rows(mk, product_mk_id_list=["1600000302"], wh_id_list=f"{seed.main},{seed.shop}") == [
        ("KAVA-1000", seed.main, "40")]
    page = mk.ok("warehouse_stock", limit=3, offset=6)
    assert (page["stock_list_count"], page["limit"], page["offset"]) == ("2", "3", "6")


def test_sync_stock_needs_a_known_api_user(mk, seed):
    stock_list = [{"warehouse_id": seed.main, "product_code": "TERMOS", "amount": "3"}]
    assert mk.error("sync_stock", "6", stock_list=stock_list) == "Cannot find email '' for paramether api_user_email"
    assert mk.error("sync_stock", "6", api_user_email="someone@else.example", stock_list=stock_list) == (
        "Cannot find email 'someone@else.example' for paramether api_user_email")
    assert ("TERMOS", seed.main, "3") not in rows(mk)


def test_sync_stock_is_destructive_per_warehouse(mk, seed):
    answer = mk.ok("sync_stock", api_user_email=API_USER, stock_list=[
        {"warehouse_id": seed.main, "product_code": "TERMOS", "amount": "12"},
        {"warehouse_id": seed.main, "product_id": "1600000301", "amount": "99,5"},
        {"warehouse_id": seed.main, "product_code": "NOPE", "amount": "1"},
        {"warehouse_id": "1600009999", "product_code": "KAVA-500", "amount": "1"},
    ])
    assert answer["opr_desc"] == "Sync successful"
    assert [(s["product_code"], s["amount"]) for s in answer["stock_list"]] == [("TERMOS", "12"), ("KAVA-500", "99,5")]
    assert answer["error_list"] == [
        {"product_code": "NOPE", "warehouse_id": seed.main, "error": "Product not found"},
        {"product_code": "KAVA-500", "warehouse_id": "1600009999", "error": "Warehouse not found"},
    ]
    removed = {r["product_code"] for r in answer["stock_remove_list"]}
    assert removed == {"KAVA-1000", "MLIN-01", "SKODELICA", "CAJ-ZELENI"}
    assert rows(mk, wh_id_list=seed.main) == [("KAVA-500", seed.main, "99,5"), ("TERMOS", seed.main, "12")]
    assert len(rows(mk, wh_id_list=seed.shop)) == 3  # the shop was not in the request


def test_sync_stock_without_a_stock_list_does_nothing(mk):
    before = rows(mk)
    answer = mk.ok("sync_stock", api_user_email=API_USER)
    assert answer["opr_desc"] == "Sync successful" and "stock_remove_list" not in answer
    assert rows(mk) == before


def test_sync_stock_keeps_reservations(mk, put_order, seed):
    put_order()
    mk.ok("sync_stock", api_user_email=API_USER,
          stock_list=[{"warehouse_id": seed.main, "product_code": "KAVA-500", "amount": "10"}])
    row = mk.ok("warehouse_stock", product_code_list="KAVA-500", wh_id_list=seed.main)["stock_list"][0]
    assert (row["amount"], row["reserved_amount"], row["free_amount"]) == ("10", "2", "8")


# --- webhook -------------------------------------------------------------------------------


def test_stock_webhook_is_signed_and_lists_every_warehouse(sim, put_order, receiver, seed):
    put_order(product_list=[{"code": "MLIN-01", "amount": "2", "price": "32.70", "tax": "EX4"}])
    endpoint = receiver()
    assert sim.send_stock_webhook(endpoint.url, "whsec-123", "KAVA-1000", retry_delay=0) == 200
    [(headers, body)] = endpoint.received
    assert headers["X-MetaKocka-Event"] == "warehouse_product_stock_update"
    assert headers["X-MetaKocka-Id"].isdigit()
    expected = base64.b64encode(hmac.new(b"whsec-123", body, hashlib.sha1).digest()).decode()
    assert headers["X-MetaKocka-Signature"] == expected and len(expected) == 28
    event = json.loads(body)
    assert event["opr_code"] == "0" and event["stock_list_count"] == "2"
    assert [(r["warehouse_id"], r["code"], r["amount"], r["free_amount"]) for r in event["stock_list"]] == [
        (seed.main, "KAVA-1000", "40", "40"), (seed.shop, "KAVA-1000", "0", "0")]

    assert sim.send_stock_webhook(endpoint.url, "whsec-123", "MLIN-01", retry_delay=0) == 200
    mlin = json.loads(endpoint.received[1][1])["stock_list"][0]
    assert (mlin["amount"], mlin["reserved_amount"], mlin["free_amount"]) == ("15", "2", "13")
    assert int(endpoint.received[1][0]["X-MetaKocka-Id"]) > int(headers["X-MetaKocka-Id"])


def test_stock_webhook_retries_twice(sim, receiver):
    flaky = receiver(500, 503)
    assert sim.send_stock_webhook(flaky.url, "s", "KAVA-500", retry_delay=0) == 200
    assert len(flaky.received) == 3
    down = receiver(500, 500, 500, 500)
    assert sim.send_stock_webhook(down.url, "s", "KAVA-500", retry_delay=0) == 500
    assert len(down.received) == 3
    assert sim.send_stock_webhook("http://127.0.0.1:9/unreachable", "s", "KAVA-500", retry_delay=0, timeout=1) is None


def test_stock_webhook_from_the_admin_endpoint(sim, receiver):
    endpoint = receiver()
    answer = requests.post(f"{sim.url}/_sandbox/stock_webhook", timeout=5, json={
        "url": endpoint.url, "client_secret": "abc", "product_code": "SKODELICA", "retry_delay": 0}).json()
    assert answer == {"status": 200}
    assert json.loads(endpoint.received[0][1])["stock_list"][0]["code"] == "SKODELICA"
    missing = requests.post(f"{sim.url}/_sandbox/stock_webhook", json={"url": endpoint.url}, timeout=5)
    assert missing.status_code == 400
    unknown = requests.post(f"{sim.url}/_sandbox/stock_webhook", timeout=5, json={
        "url": endpoint.url, "client_secret": "abc", "product_code": "NOPE"})
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["error"]
