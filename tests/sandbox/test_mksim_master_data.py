"""A register at scale (seed_master_data), stock kept on microlocations, and stock set as a Metakocka user would."""

from __future__ import annotations

import json

import requests

API_USER = "api@sandbox.example"


def stock_rows(mk, **filters):
    answer = mk.ok("warehouse_stock", **filters)
    return [(r["code"], r["warehouse_id"], r.get("microlocation"), r["amount"]) for r in answer["stock_list"]]


def test_seeded_register_pages_like_the_real_one(sim, mk):
    assert sim.seed_master_data(partners=1200, products=2100, prefix="T") == {"partners": 1200, "products": 2100}
    assert requests.get(f"{sim.url}/_sandbox/register_size", timeout=5).json() == {"partners": 1203, "products": 2107}
    first = mk.ok("get_partner", limit=1000, offset=0)
    second = mk.ok("get_partner", limit=1000, offset=1000)
    assert (first["partner_list_count"], second["partner_list_count"]) == ("1000", "203")  # 3 seeded before
    assert mk.error("get_partner", "2", limit=1000, offset=2000) == "No partner with such properties."
    tenth = next(p for p in second["partner_list"] if p["customer"] == "T Stranka 01000 d.o.o.")
    assert [a["address_type"] for a in tenth["partner_delivery_address_list"]] == ["Račun", "Dobava"]
    assert tenth["tax_id_number"] == "SI70001000"
    person = next(p for p in first["partner_list"] if p["customer"] == "T Oseba 00003")
    assert "tax_id_number" not in person and person["business_entity"] == "false"
    pages = [mk.ok("product_list", limit=1000, offset=offset)["product_list"] for offset in (0, 1000, 2000)]
    assert [len(page) for page in pages] == [1000, 1000, 107]  # 7 seeded before
    service = next(p for p in pages[0] if p["code"] == "T-00005")
    assert (service["service"], service["unit"]) == ("true", "ura")


def test_stock_on_two_microlocations_is_two_rows_that_add_up(sim, mk, seed):
    sim.seed_master_data(products=7, prefix="T")
    assert stock_rows(mk, product_code_list="T-00007") == [
        ("T-00007", seed.main, "A1", "4"), ("T-00007", seed.main, "B2", "4")]
    assert stock_rows(mk, product_code_list="T-00006") == [("T-00006", seed.main, None, "7"),
                                                          ("T-00006", seed.shop, None, "6")]


def test_a_packing_list_takes_from_the_first_microlocation_and_sync_stock_makes_one_row(sim, mk, seed, put_order):
    sim.set_stock("MLIN-01", "glavno", microlocations={"A1": "10", "B2": "5"})
    assert stock_rows(mk, product_code_list="MLIN-01", wh_id_list=seed.main) == [
        ("MLIN-01", seed.main, "A1", "10"), ("MLIN-01", seed.main, "B2", "5")]
    order = put_order(product_list=[{"code": "MLIN-01", "amount": "3", "price": "32.70", "tax": "EX4"}])
    mk.ok("put_document", doc_type="warehouse_packing_list", doc_date="16.01.2026", partner=seed.novak,
          sales_order_list=[{"mk_id": order["mk_id"]}], product_list=[{"code": "MLIN-01", "amount": "3"}])
    assert stock_rows(mk, product_code_list="MLIN-01", wh_id_list=seed.main) == [
        ("MLIN-01", seed.main, "A1", "7"), ("MLIN-01", seed.main, "B2", "5")]
    mk.ok("sync_stock", api_user_email=API_USER, stock_list=[
        {"warehouse_id": seed.main, "product_code": "MLIN-01", "amount": "9"}])
    assert stock_rows(mk, product_code_list="MLIN-01", wh_id_list=seed.main) == [("MLIN-01", seed.main, None, "9")]


def test_set_stock_from_the_admin_endpoint(sim, seed):
    rows = requests.post(f"{sim.url}/_sandbox/set_stock", timeout=5, json={
        "product_code": "TERMOS", "mark": "trgovina", "amount": "2,5"}).json()["stock_list"]
    assert [(r["warehouse_id"], r["amount"]) for r in rows] == [(seed.shop, "2,5")]
    refused = requests.post(f"{sim.url}/_sandbox/set_stock", timeout=5, json={
        "product_code": "NOPE", "mark": "glavno", "amount": "1"})
    assert refused.status_code == 400 and "NOPE" in refused.json()["error"]
    bad = requests.post(f"{sim.url}/_sandbox/set_stock", timeout=5, json={
        "product_code": "TERMOS", "mark": "glavno", "amount": "a lot"})
    assert bad.status_code == 400
    answer = requests.post(f"{sim.url}/_sandbox/seed_master_data", timeout=5, json={"partners": 2, "colour": "red"})
    assert answer.status_code == 400 and "colour" in answer.json()["error"]


def test_a_webhook_may_name_several_products_with_a_row_per_microlocation(sim, receiver, seed):
    endpoint = receiver()
    sim.set_stock("KAVA-1000", "glavno", microlocations={"A1": "30", "B2": "12"})
    answer = requests.post(f"{sim.url}/_sandbox/stock_webhook", timeout=5, json={
        "url": endpoint.url, "client_secret": "abc", "product_codes": ["KAVA-1000", "TERMOS"],
        "retry_delay": 0}).json()
    assert answer == {"status": 200}
    rows = json.loads(endpoint.received[0][1])["stock_list"]
    assert [(r["code"], r["warehouse_id"], r.get("microlocation"), r["amount"]) for r in rows] == [
        ("KAVA-1000", seed.main, "A1", "30"), ("KAVA-1000", seed.main, "B2", "12"),
        ("KAVA-1000", seed.shop, None, "0"), ("TERMOS", seed.main, None, "0"), ("TERMOS", seed.shop, None, "0")]
