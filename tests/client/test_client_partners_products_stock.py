"""The client against the simulator, over HTTP: partners, products and stock."""

from decimal import Decimal

import pytest

from metakocka_api import ValidationError
from metakocka_api.values import parse_number


def test_find_partners_by_tax_number_email_and_name(client, partner):
    mk_id, _address = partner
    assert [p["mk_id"] for p in client.find_partners(tax_number="SI12345678")] == [mk_id]
    assert [p["mk_id"] for p in client.find_partners(name="Kupec")] == [mk_id]
    assert mk_id in [p["mk_id"] for p in client.find_partners(email="ana@kupec.example")]


def test_no_matching_partner_is_an_empty_list_not_an_error(client, sim):
    assert client.find_partners(tax_number="SI00000000") == []
    assert sim.count("get_partner") == 1  # opr_code 2 is not retried


def test_update_partner(client, partner):
    mk_id, _address = partner
    client.update_partner({"mk_id": mk_id, "customer": "Kupec d.o.o. (renamed)"})
    assert client.find_partners(mk_id=mk_id)[0]["customer"] == "Kupec d.o.o. (renamed)"


def test_find_product_by_code_normalises_a_single_object(client, product, sim):
    found = client.find_product(product)
    assert found["code"] == product
    assert client.find_product("NO-SUCH-CODE") is None
    # The simulator answers a one-product filter with a bare object, as Metakocka does.
    assert isinstance(client.product_list(code=product)["product_list"], list)


def test_iter_products_pages_by_one_thousand(client, sim):
    existing = len(list(client.iter_products()))
    for number in range(1001 - existing):
        client.product_add({"count_code": f"P{number}", "code": f"P{number}", "name": f"Product {number}",
                            "unit": "kos"})
    sim.clear_requests()
    products = list(client.iter_products())
    assert len(products) == 1001
    assert sim.count("product_list") == 2


def test_product_update_and_delete(client, product):
    found = client.find_product(product)
    client.product_update({"mk_id": found["mk_id"], "name": "Renamed widget"})
    assert client.find_product(product)["name"] == "Renamed widget"
    client.product_delete(mk_id=found["mk_id"])
    assert client.find_product(product) is None


def test_adding_the_same_product_twice_is_refused(client, product):
    with pytest.raises(ValidationError):
        client.product_add({"count_code": product, "code": product, "name": "Again", "unit": "kos"})


def test_warehouses_and_reserved_stock(client, sim, order_body, product):
    warehouses = client.warehouse_list()
    assert len(warehouses) == 2
    main = next(w for w in warehouses if w.get("main_warehouse") == "true")
    client.sync_stock(sim_api_user_email(sim), [
        {"warehouse_id": main["mk_id"], "product_code": product, "amount": "10"},
    ])

    client.put_document(order_body(warehouse=main["mark"]))

    rows = [row for row in client.warehouse_stock(product_codes=[product]) if row["warehouse_id"] == main["mk_id"]]
    assert sum(parse_number(row["amount"]) for row in rows) == Decimal("10")
    assert sum(parse_number(row["reserved_amount"]) for row in rows) == Decimal("3")
    assert sum(parse_number(row["free_amount"]) for row in rows) == Decimal("7")


def test_sync_stock_reports_unknown_products(client, sim):
    main = client.warehouse_list()[0]
    answer = client.sync_stock(sim_api_user_email(sim), [
        {"warehouse_id": main["mk_id"], "product_code": "NO-SUCH-CODE", "amount": "1"},
    ])
    assert [error["product_code"] for error in answer["error_list"]] == ["NO-SUCH-CODE"]


def sim_api_user_email(sim):
    return sim.api_user_email


def test_partner_page_reads_the_register_and_its_end_is_an_empty_page(client, sim):
    assert [p["customer"] for p in client.partner_page(limit=2)] == ["Kavarna Novak d.o.o.", "Janez Kranjc"]
    assert [p["customer"] for p in client.partner_page(offset=2, limit=2)] == ["Alpen Kaffee GmbH"]
    sim.clear_requests()
    assert client.partner_page(offset=3, limit=2) == []  # opr_code 2: the end, not an error
    assert sim.count("get_partner") == 1  # and not retried


def test_iter_partners_pages_until_a_short_page(client, sim, partner):
    sim.clear_requests()
    partners = list(client.iter_partners(page_size=2))
    assert [p["mk_id"] for p in partners][-1] == partner[0]
    assert len(partners) == 4 and sim.count("get_partner") == 3  # 2 + 2 + the empty page past the end
    sim.clear_requests()
    assert len(list(client.iter_partners())) == 4 and sim.count("get_partner") == 1


def test_partner_pages_ask_for_one_thousand_at_most(client, sim):
    client.partner_page(limit=5000)
    assert [r.body["limit"] for r in sim.requests if r.op == "get_partner"] == [1000]
