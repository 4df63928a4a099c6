"""Malformed answers on demand: raw document fields and a lone search result as a bare object."""

from __future__ import annotations


def search(mk, **params):
    return mk.ok("search", doc_type="sales_order", result_type="doc", **params)


def test_raw_fields_replace_the_rendered_ones_in_get_document_and_search(mk, sim, put_order):
    order = put_order()
    sim.set_raw_fields(order["mk_id"], last_change_ts="yesterday", partner="Novak", product_list=[{"amount": "NaN"}],
                       buyer_order=None)

    for document in (mk.document("sales_order", order["mk_id"]), search(mk)["result"][0]):
        assert document["last_change_ts"] == "yesterday"
        assert document["partner"] == "Novak"
        assert document["product_list"] == [{"amount": "NaN"}]
        assert "buyer_order" not in document  # None leaves the field out
        assert document["count_code"] == order["count_code"]  # the others are the document's own


def test_raw_fields_are_replaced_by_the_next_call_and_dropped_by_a_full_replace(mk, sim, put_order, order_body):
    order = put_order()
    sim.set_raw_fields(order["mk_id"], doc_date="someday")
    sim.set_raw_fields(order["mk_id"], sum_all="1e400")
    document = mk.document("sales_order", order["mk_id"])
    assert (document["doc_date"], document["sum_all"]) == ("2026-01-15+02:00", "1e400")

    mk.ok("put_document", **order_body(mk_id=order["mk_id"]))
    assert mk.document("sales_order", order["mk_id"])["sum_all"] != "1e400"


def test_a_lone_search_result_comes_back_as_an_object_until_reset(mk, sim, put_order):
    order = put_order()
    sim.single_result_as_object = True
    answer = search(mk)
    assert answer["result"]["mk_id"] == order["mk_id"]

    put_order(buyer_order="WEB-1002")
    assert len(search(mk)["result"]) == 2  # more than one: a list as always
    sim.reset()
    put_order()
    assert isinstance(search(mk)["result"], list)


def test_a_document_can_be_shown_without_its_own_mk_id(mk, sim, put_order):
    order = put_order()
    sim.set_raw_fields(order["mk_id"], mk_id=None)
    assert "mk_id" not in search(mk)["result"][0]
