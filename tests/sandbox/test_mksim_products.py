"""json/product_list, product_add, product_update, product_delete."""

from __future__ import annotations

import pytest


def codes(answer):
    products = answer.get("product_list", [])
    return [p["code"] for p in (products if isinstance(products, list) else [products])]


ALL_CODES = ["KAVA-500", "KAVA-1000", "MLIN-01", "SKODELICA", "CAJ-ZELENI", "TERMOS", "delivery_service"]


@pytest.mark.parametrize("filters, expected", [
    ({}, ALL_CODES),
    ({"code": "KAVA"}, []),
    ({"code": "KAVA", "search_with_like": "true"}, ["KAVA-500", "KAVA-1000"]),
    ({"title": "kava v zrnu", "search_with_like": True}, ["KAVA-500", "KAVA-1000"]),
    ({"count_code": "PA-1003"}, ["MLIN-01"]),
    ({"mk_id": "1600000304"}, ["SKODELICA"]),
    ({"service": "true"}, ["delivery_service"]),
    ({"service": "false", "purchase": "true", "code": "T", "search_with_like": "true"}, ["TERMOS"]),
    ({"sales": "true", "active": "true", "eshop_sync": "true"}, ALL_CODES),
])
def test_product_list_filters(mk, filters, expected):
    answer = mk.ok("product_list", **filters)
    assert codes(answer) == expected
    assert answer["product_list_count"] == str(len(expected))


def test_product_list_echoes_the_request_in_its_head(mk):
    answer = mk.ok("product_list", code="MLIN-01", return_warehause_stock=True)
    assert (answer["code"], answer["return_warehause_stock"], answer["limit"], answer["offset"]) == (
        "MLIN-01", "true", "1000", "0")
    assert "secret_key" not in answer and "company_id" not in answer


def test_product_fields(mk):
    product = mk.ok("product_list", code="MLIN-01")["product_list"]
    assert product == {
        "count_code": "PA-1003", "mk_id": "1600000303", "code": "MLIN-01", "barcode": "3830012340031",
        "name": "Ročni mlinček za kavo", "name_desc": "Keramični mlevni mehanizem, nastavljiva debelina mletja.",
        "unit": "kos", "weight": "0,35", "service": "false", "sales": "true", "purchasing": "true",
        "activated": "true", "eshop_sync": "true", "work": "false",
    }


def test_free_amount_reservations_and_pricelist(mk, put_order):
    put_order(product_list=[{"code": "MLIN-01", "amount": "3", "price": "32.70", "tax": "EX4"}])
    product = mk.ok("product_list", code="MLIN-01", return_free_amount="true", return_warehouse_reservation="true",
                    return_pricelist="true", show_tax_factor="true")["product_list"]
    assert product["free_amount"] == "16"  # 15 + 4 − 3
    assert product["reservation_detail"] == [{"warehouse_mark": "glavno", "warehouse_name": "Glavno skladišče",
                                              "amount": "3"}]
    assert product["pricelist"][0]["price_def"] == {
        "tax": "EX4", "price": "32.7", "tax_desc": "22", "tax_factor": "0.22"}


def test_product_add(mk):
    added = mk.ok("product_add", code="FILTER-100", name="Papirnati filtri", unit="pak", weight="0,2",
                  sales="true", service="false",
                  pricelist=[{"price_def": [{"price_with_tax": "3,66", "tax": "EX4"}]}])
    assert added["count_code"] == "PA-1008" and added["mk_id"].isdigit()
    product = mk.ok("product_list", code="FILTER-100", return_pricelist="true")["product_list"]
    assert (product["mk_id"], product["weight"], product["unit"]) == (added["mk_id"], "0,2", "pak")
    assert product["pricelist"][0]["price_def"]["price"] == "3"  # 3.66 / 1.22


def test_product_add_fails_only_on_the_same_count_code_and_code(mk):
    mk.ok("product_add", count_code="X-1", code="X", name="X", unit="kos")
    assert mk.error("product_add", "6", count_code="X-1", code="X", name="X again", unit="kos") == (
        "Product with count_code X-1 and code X already exists.")
    mk.ok("product_add", count_code="X-1", code="Y", name="Y", unit="kos")
    mk.ok("product_add", count_code="X-2", code="X", name="X too", unit="kos")
    assert len(mk.ok("product_list", count_code="X-1")["product_list"]) == 2


@pytest.mark.parametrize("missing", ["code", "name", "unit"])
def test_product_add_required_fields(mk, missing):
    fields = {"code": "Z", "name": "Z", "unit": "kos"}
    del fields[missing]
    assert mk.error("product_add", "2", **fields) == f"Paramether '{missing}' is required"


def test_product_update(mk):
    mk.ok("product_update", count_code="PA-1003", name="Mlinček Deluxe", barcode="", weight="0,4")
    product = mk.ok("product_list", code="MLIN-01")["product_list"]
    assert (product["name"], product["barcode"], product["weight"]) == ("Mlinček Deluxe", "3830012340031", "0,4")
    mk.ok("product_update", mk_id="1600000303", barcode="$REMOVE_STRING_VALUE$", name_desc="$REMOVE_STRING_VALUE$",
          eshop_sync="false")
    product = mk.ok("product_list", code="MLIN-01")["product_list"]
    assert "barcode" not in product and "name_desc" not in product and product["eshop_sync"] == "false"
    desc = mk.error("product_update", "2", count_code="PA-9999", name="x")
    assert desc == "Product with count_code PA-9999 not found"


def test_product_update_business_rules_for_used_products(mk, put_order):
    put_order(product_list=[{"code": "TERMOS", "amount": "1", "price": "16.39", "tax": "EX4"}])
    assert "sales flag" in mk.error("product_update", "6", count_code="PA-1006", sales="false")
    desc = mk.error("product_update", "6", count_code="PA-1006", service="true")
    assert "confirm_save_change_product_service" in desc
    mk.ok("product_update", count_code="PA-1006", service="true", confirm_save_change_product_service="true")
    assert mk.ok("product_list", code="TERMOS")["product_list"]["service"] == "true"
    mk.ok("product_update", count_code="PA-1002", sales="false")  # unused: fine


def test_product_delete(mk, put_order):
    mk.ok("product_delete", count_code="PA-1002")
    assert "product_list" not in mk.ok("product_list", code="KAVA-1000")
    assert mk.ok("warehouse_stock", product_code_list="KAVA-1000").get("stock_list") is None
    put_order()
    assert mk.error("product_delete", "6", mk_id="1600000301") == (
        "Product PA-1001 is used on documents and cannot be deleted.")
    assert mk.error("product_delete", "2") == "Paramether 'count_code' or 'mk_id' is required"


def test_product_update_price_without_tax_keeps_the_tax(mk):
    mk.ok("product_update", mk_id="1600000303", pricelist=[{"price_def": [{"price": "30.00"}]}], activated="false")
    product = mk.ok("product_list", code="MLIN-01", return_pricelist="true")["product_list"]
    assert product["pricelist"][0]["price_def"] == {"tax": "EX4", "price": "30"}
    assert product["activated"] == "false"
    assert mk.ok("product_list", code="MLIN-01", active="true")["product_list_count"] == "0"


def test_product_raw_fields_show_a_malformed_row(mk, sim):
    sim.set_product_raw_fields("1600000303", pricelist=[{"price_def": {"price": "12,x"}}], unit="stor")
    product = mk.ok("product_list", code="MLIN-01", return_pricelist="true")["product_list"]
    assert (product["pricelist"], product["unit"], product["name"]) == (
        [{"price_def": {"price": "12,x"}}], "stor", "Ročni mlinček za kavo")
    sim.set_product_raw_fields("1600000303")
    assert mk.ok("product_list", code="MLIN-01")["product_list"]["unit"] == "kos"
    assert sim.products()["1600000303"]["code"] == "MLIN-01"
