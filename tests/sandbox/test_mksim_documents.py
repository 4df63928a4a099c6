"""put_document and get_document: numbering, partners, lines, sums, shape, invoices, reservations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


def stock_row(mk, warehouse_id, code):
    rows = mk.ok("warehouse_stock", product_code_list=code, wh_id_list=warehouse_id).get("stock_list", [])
    assert len(rows) == 1, rows
    return rows[0]["amount"], rows[0]["reserved_amount"], rows[0]["free_amount"]


# --- insert, numbering, answer ---------------------------------------------------------------


def test_insert_answers_ids_and_an_order_summary(put_order, seed):
    first, second = put_order(), put_order()
    for placed in (first, second):
        assert placed["mk_id"].isdigit() and 10 <= len(placed["mk_id"]) <= 13
    assert int(second["mk_id"]) > int(first["mk_id"])
    assert first["count_code"] == "PP-1" and second["count_code"] == "PP-2"
    assert first["document_type_short"] == "PR_SO"
    assert first["partner"] == {"mk_id": seed.novak["mk_id"]}
    assert first["total_price"] == "26.92"  # 2 × 12.29 = 24.58 net + 9.5 % tax 2.34


@pytest.mark.parametrize("doc_type, numbers", [
    ("sales_offer", ["PON-1", "PON-2"]),
    ("sales_order", ["PP-1", "PP-2"]),
    ("sales_bill_domestic", ["2026-00001", "2026-00002"]),
    ("sales_bill_foreign", ["2026-T00001", "2026-T00002"]),
])
def test_automatic_numbers_per_document_type(mk, order_body, doc_type, numbers):
    answers = [mk.ok("put_document", **order_body(doc_type=doc_type)) for _ in numbers]
    assert [a["count_code"] for a in answers] == numbers
    if doc_type != "sales_order":
        assert "document_type_short" not in answers[0] and "total_price" not in answers[0]
    assert mk.document(doc_type, answers[0]["mk_id"])["doc_type"] == doc_type


def test_a_sent_count_code_and_a_numbering_sequence(put_order):
    assert put_order(count_code="SHOP-1")["count_code"] == "SHOP-1"
    assert put_order()["count_code"] == "PP-1"
    assert put_order(doc_type="sales_bill_domestic", count_code="COUNT_CODE_SELECT#I2026-")["count_code"] == "I2026-1"
    assert put_order(doc_type="sales_bill_domestic", count_code="COUNT_CODE_SELECT#I2026-")["count_code"] == "I2026-2"


def test_automatic_numbers_skip_a_number_a_client_already_used(put_order):
    assert put_order(count_code="PP-1")["count_code"] == "PP-1"
    assert put_order()["count_code"] == "PP-2"


@pytest.mark.parametrize("doc_type", ["warehouse_packing_list1", "purchase_order", ""])
def test_unknown_document_types(mk, order_body, doc_type):
    desc = mk.error("put_document", "2", **order_body(doc_type=doc_type))
    assert desc == (f"Unknown document type : {doc_type}" if doc_type else "Paramether 'doc_type' is required")


def test_replacing_an_unknown_document_fails(mk, order_body):
    desc = mk.error("put_document", "2", **order_body(mk_id="1600999999"))
    assert desc == "Cannot find document type sales_order with id = 1600999999"


def test_a_document_needs_a_partner(mk, order_body, sim):
    assert mk.error("put_document", "2", **order_body(partner=None)) == "Partner data are missing"
    assert mk.error("put_document", "2", **order_body(partner={"mk_id": "1600000999", "mk_address_id": "1"}))
    assert sim.documents("sales_order") == []


# --- sums ------------------------------------------------------------------------------------


def test_sums_follow_the_documented_rounding_rule(mk, put_order):
    placed = put_order(discount_value="2,50", product_list=[
        {"code": "KAVA-500", "amount": "3", "price_with_tax": "14,99", "tax": "095", "discount": "10;5"},
        {"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4", "discount": "10"},
        {"code": "SKODELICA", "amount": "4", "price": "8.20", "tax": "220"},
        {"code": "delivery_service", "amount": "1", "price_with_tax": "5.00", "tax_factor": "0.22"},
    ])
    document = mk.document("sales_order", placed["mk_id"])
    # KAVA: 3 × 14.99/1.095 = 41.0685 → 41.07 before, × 0.9 × 0.95 = 35.1136 → 35.11 after discount
    # MLIN: 32.70 → 29.43; SKODELICA: 32.80; delivery: 5/1.22 = 4.0984 → 4.10
    assert document["sum_basic"] == "101.44"
    assert document["sum_tax_095"] == "3.34"  # 35.11 × 0.095 = 3.33545
    assert document["sum_tax_ex4"] == "7.38"  # (29.43 + 4.10) × 0.22 = 7.3766
    assert document["sum_tax_220"] == "7.22"  # 32.80 × 0.22 = 7.216
    assert document["sum_discount"] == "11.73"  # 5.96 + 3.27 + 2.50
    assert document["discount_value"] == "2.5"
    assert document["sum_all"] == "116.88"  # 101.44 + 3.34 + 7.38 + 7.22 − 2.50
    assert placed["total_price"] == "116.88"


def test_a_gross_priced_document_keeps_its_gross_exact(mk, put_order):
    placed = put_order(discount_value="10", product_list=[
        {"code": "MLIN-01", "amount": "1", "price_with_tax": "200.00", "tax": "EX4"}])
    document = mk.document("sales_order", placed["mk_id"])
    assert document["sum_all"] == "190.00" and placed["total_price"] == "190.00"  # not 189.99
    assert (document["sum_basic"], document["sum_tax_ex4"]) == ("163.93", "36.07")  # 200/1.22 = 163.9344
    assert document["sum_discount"] == "10.00"


def test_gross_lines_are_rounded_gross_first_and_the_net_derived(mk, put_order):
    line = {"code": "TERMOS", "amount": "1", "price_with_tax": "9.99", "tax": "EX4"}
    placed = put_order(product_list=[line, line, {**line, "amount": "2", "discount": "10"}])
    document = mk.document("sales_order", placed["mk_id"])
    # 9.99 → net 8.19 (8.1885), tax 1.80, twice; 2 × 9.99 × 0.9 = 17.982 → 17.98 → net 14.74, tax 3.24
    assert (document["sum_basic"], document["sum_tax_ex4"], document["sum_all"]) == ("31.12", "6.84", "37.96")
    assert document["sum_discount"] == "1.64"  # 19.98 → net 16.38, less 14.74


def test_a_document_with_any_net_priced_line_is_computed_from_the_net(mk, put_order):
    gross = {"code": "TERMOS", "amount": "1", "price_with_tax": "9.99", "tax": "EX4"}
    placed = put_order(product_list=[gross, gross, gross, {"code": "KAVA-500", "amount": "1", "price": "10",
                                                           "tax": "095"}])
    document = mk.document("sales_order", placed["mk_id"])
    assert (document["sum_basic"], document["sum_tax_ex4"]) == ("34.57", "5.41")  # 24.57 × 0.22 = 5.4054
    assert document["sum_all"] == "40.93"  # the three gross lines come to 29.98 here, not 29.97


def test_rounding_is_half_up(mk, put_order):
    placed = put_order(product_list=[{"code": "SKODELICA", "amount": "1", "price": "0.125", "tax": "000"},
                                     {"code": "MLIN-01", "amount": "1", "price": "0.025", "tax": "EX4"}])
    document = mk.document("sales_order", placed["mk_id"])
    assert document["sum_basic"] == "0.16"  # 0.13 + 0.03
    assert document["sum_tax_000"] == "0.00"
    assert document["sum_tax_ex4"] == "0.01"  # 0.03 × 0.22 = 0.0066


def test_a_service_line_adds_exactly_its_amount(mk, put_order):
    without = put_order()
    with_shipping = put_order(product_list=[
        {"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095"},
        {"code": "delivery_service", "amount": "1", "price_with_tax": "4.99", "tax": "EX4"}])
    total = lambda placed: float(mk.document("sales_order", placed["mk_id"])["sum_all"])  # noqa: E731
    assert total(with_shipping) - total(without) == pytest.approx(4.99)


@pytest.mark.parametrize("discount", ["10%", "10;x", "ten"])
def test_a_line_discount_must_be_numbers_separated_by_semicolons(mk, order_body, discount):
    line = {"code": "KAVA-500", "amount": "1", "price": "10", "tax": "095", "discount": discount}
    body = order_body(product_list=[line])
    assert mk.error("put_document", "2", **body) == (
        "Paramether discount must be valid number or numbers separate by semicolon (for example : 10;20)")


def test_an_invalid_discount_value(mk, order_body):
    assert mk.error("put_document", "6", **order_body(discount_value="a lot")) == "Not valid number for discount_value"


def test_line_tax_and_price_fall_back_to_the_catalogue(mk, put_order):
    placed = put_order(product_list=[{"code": "MLIN-01", "amount": "2"}])
    document = mk.document("sales_order", placed["mk_id"], show_tax_factor="true")
    line = document["product_list"][0]
    assert (line["price"], line["tax"], line["tax_factor"], line["tax_desc"]) == ("32.7", "EX4", "0.22", "22")
    assert document["sum_basic"] == "65.40" and document["sum_tax_ex4"] == "14.39"


def test_tax_codes_and_factors_are_checked(mk, order_body):
    line = {"code": "KAVA-500", "amount": "1", "price": "10"}
    assert "'tax' has invalid value : 999" in mk.error("put_document", "2", **order_body(
        product_list=[{**line, "tax": "999"}]))
    assert "'tax_factor' has invalid value : 0.3" in mk.error("put_document", "2", **order_body(
        product_list=[{**line, "tax_factor": "0.3"}]))
    placed = mk.ok("put_document", **order_body(product_list=[{**line, "tax_factor": "0.095"}]))
    assert mk.document("sales_order", placed["mk_id"])["product_list"][0]["tax"] == "095"


def test_a_line_names_its_product_by_code_or_count_code_not_by_mk_id(mk, put_order, order_body):
    placed = put_order(product_list=[{"count_code": "PA-1003", "amount": "1", "price": "30", "tax": "EX4"}])
    assert mk.document("sales_order", placed["mk_id"])["product_list"][0]["code"] == "MLIN-01"
    body = order_body(product_list=[{"mk_id": "1600000303", "amount": "1", "price": "30", "tax": "EX4"}])
    assert mk.error("put_document", "8", **body) == (
        "Product with code null not found - unit must be set to add new product")


def test_a_line_needs_an_amount(mk, order_body):
    body = order_body(product_list=[{"code": "KAVA-500", "price": "10", "tax": "095"}])
    assert mk.error("put_document", "2", **body) == "Paramether 'amount' is required"


# --- shape -----------------------------------------------------------------------------------


def test_get_document_shape(mk, put_order, seed):
    placed = put_order(
        title="Spletno naročilo 1001", notes="Pustite pri sosedu", delivery_type="Pošta Slovenije",
        method_of_payment="PayPal", extra_column=[{"name": "ip", "value": "10.0.0.1"}],
        receiver={"customer": "Marija Kranjc", "street": "Ulica 2", "post_number": "2000", "place": "Maribor",
                  "country": "SI", "partner_contact": {"name": "Marija", "gsm": "041 111 222"}},
        product_list=[{"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095", "name": "ignored",
                       "doc_desc": "mleta"}],
    )
    document = mk.document("sales_order", placed["mk_id"], show_product_detail="true")
    assert document["opr_code"] == "0" and document["mk_id"] == placed["mk_id"]
    assert document["count_code"] == "PP-1" and document["doc_type"] == "sales_order"
    assert (document["title"], document["notes"], document["delivery_type"]) == (
        "Spletno naročilo 1001", "Pustite pri sosedu", "Pošta Slovenije")
    assert document["currency_code"] == "EUR" and document["warehouse"] == "glavno"
    assert (document["profit_center"], document["profit_center_desc"]) == ("SPLET", "Spletna prodaja")
    partner = document["partner"]
    assert partner["mk_id"] == seed.novak["mk_id"] and partner["mk_address_id"] == seed.novak["mk_address_id"]
    assert (partner["count_code"], partner["country_iso_2"], partner["tax_id_number"]) == ("1000", "SI", "SI24681357")
    receiver = document["receiver"]
    assert receiver["customer"] == "Marija Kranjc" and receiver["place"] == "Maribor"
    assert receiver["partner_contact"]["gsm"] == "041 111 222"
    line = document["product_list"][0]
    assert line["name"] == "Kava v zrnu, 500 g"  # the catalogue name wins over the sent one
    assert (line["code"], line["count_code"], line["mk_id"]) == ("KAVA-500", "PA-1001", "1600000301")
    assert (line["amount"], line["price"], line["unit"], line["doc_desc"]) == ("2", "12.29", "kos", "mleta")
    assert line["type"] == "material" and line["mk_row_id"].isdigit()
    assert document["extra_column"] == [{"name": "ip", "value": "10.0.0.1"}]


def test_a_gross_line_keeps_its_gross_price(mk, put_order):
    placed = put_order(product_list=[{"code": "KAVA-500", "amount": "1", "price_with_tax": "14.99", "tax": "095"}])
    line = mk.document("sales_order", placed["mk_id"])["product_list"][0]
    assert line["price_with_tax"] == "14.99" and "price" not in line


def test_detail_flags_are_off_by_default(mk, put_order):
    document = mk.document("sales_order", put_order(mark_paid=[{"payment_type": "PayPal"}])["mk_id"])
    line = document["product_list"][0]
    assert not {"mk_row_id", "type", "tax_factor", "tax_desc"} & set(line)
    assert "mark_paid" not in document and document["sum_paid"] == "26.92"


def test_get_document_errors(mk, put_order):
    placed = put_order()
    assert mk.error("get_document", "2", doc_type="sales_offer", doc_id=placed["mk_id"]) == (
        f"Cannot find document type sales_offer with id = {placed['mk_id']}")
    assert mk.error("get_document", "2", doc_type="sales_order", buyer_order="nope") == (
        "Cannot find document type sales_order with buyer_order = nope")
    assert mk.error("get_document", "2", doc_type="sales_bill_domestic", buyer_order="WEB-1001") == (
        "Cannot find document type sales_bill_domestic with id = null")
    assert mk.error("get_document", "2", doc_id=placed["mk_id"]) == "Paramether 'doc_type' is required"


def test_every_write_moves_last_change_ts(mk, sim, put_order, order_body):
    start = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    sim.set_now(start)
    placed = put_order()
    sim.set_now(start + timedelta(minutes=5))
    mk.ok("put_document", **order_body(mk_id=placed["mk_id"]))
    document = mk.document("sales_order", placed["mk_id"])
    assert document["created_ts"] == "2026-03-02T09:00:00+01:00"
    assert document["last_change_ts"] == "2026-03-02T09:05:00+01:00"


# --- offers, bills, invoices -----------------------------------------------------------------


def test_offers_and_their_statuses(mk, put_order):
    offer = put_order(doc_type="sales_offer", status_code="open", valid_days="30")
    document = mk.document("sales_offer", offer["mk_id"])
    assert (document["status_code"], document["status_desc"], document["valid_days"]) == ("Odprta", "open", "30")
    assert "Dinamični šifrant" in mk.error("put_document", "2", doc_type="sales_offer", doc_date="01.02.2026",
                                           partner={"mk_id": "1600000201", "mk_address_id": "1600000202"},
                                           status_code="shipped")


def test_a_bill_names_its_sales_orders(mk, put_order):
    order = put_order(buyer_order="WEB-9")
    bill = put_order(doc_type="sales_bill_domestic", buyer_order=None,
                     sales_order_list=[{"count_code": order["count_code"]}])
    links = mk.document("sales_order", order["mk_id"])["doc_link_list"]
    assert links == [{"mk_id": bill["mk_id"], "count_code": bill["count_code"], "doc_type": "sales_bill_domestic"}]
    assert mk.document("sales_bill_domestic", bill["mk_id"])["doc_link_list"][0]["mk_id"] == order["mk_id"]
    assert "count_code = PP-404" in mk.error("put_document", "2", doc_type="sales_bill_domestic", doc_date="01.02.2026",
                                            partner={"mk_id": "1600000201", "mk_address_id": "1600000202"},
                                            sales_order_list=[{"count_code": "PP-404"}])


def test_create_invoice_makes_a_foreign_bill_for_a_foreign_partner(mk, sim, put_order, seed):
    sim.set_now(datetime(2027, 5, 4, 12, 0, tzinfo=timezone.utc))
    placed = put_order(partner=seed.alpen, create_invoice="true")
    bill = mk.document("sales_bill_foreign", placed["attachment_list"][0]["bill_mk_id"])
    assert bill["count_code"] == "2027-T00001" and bill["doc_date"] == "2027-05-04+02:00"
    assert bill["partner"]["country_iso_2"] == "AT" and bill["partner"]["foreign_county"] == "true"
    assert [line["code"] for line in bill["product_list"]] == ["KAVA-500"]
    assert bill["buyer_order"] == "WEB-1001"
    assert mk.document("sales_order", placed["mk_id"])["doc_link_list"][0]["doc_type"] == "sales_bill_foreign"


# --- stock reservations -----------------------------------------------------------------------


def test_a_sales_order_reserves_material_lines_in_its_warehouse(mk, put_order, seed):
    assert stock_row(mk, seed.main, "KAVA-500") == ("120", "0", "120")
    put_order(product_list=[{"code": "KAVA-500", "amount": "2", "price": "12.29", "tax": "095"},
                            {"code": "delivery_service", "amount": "1", "price": "4.10", "tax": "EX4"}])
    assert stock_row(mk, seed.main, "KAVA-500") == ("120", "2", "118")
    put_order(warehouse="trgovina", product_list=[{"code": "KAVA-500", "amount": "5", "price": "12.29", "tax": "095"}])
    assert stock_row(mk, seed.shop, "KAVA-500") == ("30", "5", "25")
    assert stock_row(mk, seed.main, "KAVA-500") == ("120", "2", "118")
    assert mk.ok("warehouse_stock", product_code_list="delivery_service").get("stock_list") is None


def test_replacing_an_order_recomputes_its_reservation(mk, put_order, order_body, seed):
    placed = put_order()
    mk.ok("put_document", **order_body(mk_id=placed["mk_id"], product_list=[
        {"code": "KAVA-500", "amount": "7", "price": "12.29", "tax": "095"}]))
    assert stock_row(mk, seed.main, "KAVA-500") == ("120", "7", "113")


def test_offers_and_bills_reserve_nothing(mk, put_order, seed):
    put_order(doc_type="sales_offer")
    put_order(doc_type="sales_bill_domestic")
    assert stock_row(mk, seed.main, "KAVA-500") == ("120", "0", "120")


def test_reservations_can_exceed_stock(mk, put_order, seed):
    put_order(product_list=[{"code": "KAVA-1000", "amount": "45", "price": "22.80", "tax": "095"}])
    assert stock_row(mk, seed.main, "KAVA-1000") == ("40", "45", "-5")
