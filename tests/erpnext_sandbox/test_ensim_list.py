"""GET /api/resource/{doctype}: fields, filters, or_filters, order_by, paging (reference §2.2, §8.2)."""

import json

SAMPLES = ["Jane Doe", "Müller Maschinenbau GmbH", "Nguyen Optics", "Sharma Traders"]


def names(rows):
    return [row["name"] for row in rows]


def test_defaults_are_name_only_twenty_rows_newest_first(sim, api):
    sim.seed_customers(30)
    rows = api.list("Customer")
    assert len(rows) == 20
    assert all(set(row) == {"name"} for row in rows)
    modified = [sim.customer(row["name"])["modified"] for row in rows]
    assert modified == sorted(modified, reverse=True)


def test_page_length_zero_is_everything_and_limit_zero_is_not(sim, api):
    sim.seed_customers(30)
    assert len(api.list("Customer", limit_page_length=0)) == 34
    assert len(api.list("Customer", limit=25)) == 25
    assert len(api.list("Customer", limit=0)) == 20  # falsy: the default applies
    assert len(api.list("Customer", limit_start=30, limit_page_length=10)) == 4


def test_star_fields_include_nulls_but_no_child_tables(api):
    row = api.list("Customer", fields=["*"], filters=[["name", "=", "Jane Doe"]])[0]
    assert row["tax_id"] is None  # list rows keep nulls
    assert "credit_limits" not in row
    assert row["customer_type"] == "Individual" and row["disabled"] == 0


def test_filters_in_list_and_dict_forms_with_the_usual_operators(api):
    def where(filters, **extra):
        return sorted(names(api.list("Customer", filters=filters, limit_page_length=0, **extra)))

    assert where([["customer_type", "=", "Individual"]]) == ["Jane Doe"]
    assert where({"customer_type": "Individual"}) == ["Jane Doe"]
    assert where({"disabled": ["!=", 0]}) == ["Nguyen Optics"]
    assert where([["customer_name", "like", "%GmbH"]]) == ["Müller Maschinenbau GmbH"]
    assert where([["customer_name", "not like", "%a%"]]) == ["Nguyen Optics"]
    assert where([["name", "in", ["Jane Doe", "Nobody", "Nguyen Optics"]]]) == ["Jane Doe", "Nguyen Optics"]
    assert where([["name", "in", "Jane Doe,Sharma Traders"]]) == ["Jane Doe", "Sharma Traders"]
    assert where([["name", "not in", ["Jane Doe"]]]) == sorted(set(SAMPLES) - {"Jane Doe"})
    assert where([["tax_id", "is", "set"]]) == ["Müller Maschinenbau GmbH", "Sharma Traders"]
    assert where([["tax_id", "is", "not set"]]) == ["Jane Doe", "Nguyen Optics"]
    assert where([["customer_name", "=", "jane doe"]]) == ["Jane Doe"]  # MariaDB's collation ignores case
    assert where([["tax_id", "=", ""]]) == ["Jane Doe", "Nguyen Optics"]  # ifnull(tax_id, '') = ''


def test_comparisons_follow_the_field_type(sim, api):
    rows = api.list("Customer", fields=["name", "modified"], order_by="modified asc", limit_page_length=0)
    middle = rows[1]["modified"]
    assert names(api.list("Customer", filters=[["modified", ">=", middle]], order_by="modified asc",
                          limit_page_length=0)) == names(rows[1:])
    assert names(api.list("Customer", filters=[["modified", ">", middle]], order_by="modified asc",
                          limit_page_length=0)) == names(rows[2:])
    assert names(api.list("Customer", filters=[["modified", "<", middle]], limit_page_length=0)) == names(rows[:1])
    assert names(api.list("Customer", filters=[["modified", "<=", middle]], order_by="modified asc",
                          limit_page_length=0)) == names(rows[:2])
    assert len(api.list("Customer", filters=[["modified", "between", ["2000-01-01", middle[:10]]]])) >= 1
    assert names(api.list("Customer", filters=[["disabled", ">", "0"]])) == ["Nguyen Optics"]


def test_or_filters(api):
    rows = api.list("Customer", or_filters=[["customer_type", "=", "Individual"], ["disabled", "=", 1]],
                    limit_page_length=0)
    assert sorted(names(rows)) == ["Jane Doe", "Nguyen Optics"]
    rows = api.list("Customer", filters={"disabled": 0}, or_filters={"customer_name": ["like", "J%"], "tax_id": "DE123456789"})
    assert sorted(names(rows)) == ["Jane Doe", "Müller Maschinenbau GmbH"]


def test_child_table_filters_and_columns(api):
    rows = api.list("Contact", fields=["name", "`tabDynamic Link`.link_name as customer"],
                    filters=[["Dynamic Link", "link_doctype", "=", "Customer"],
                             ["Dynamic Link", "link_name", "=", "Jane Doe"]])
    assert rows == [{"name": "Jane Doe-Jane Doe", "customer": "Jane Doe"}]
    limits = api.list("Customer", fields=["name", "`tabCustomer Credit Limit`.credit_limit"],
                      filters=[["Customer Credit Limit", "company", "=", "Sandbox Company"]], limit_page_length=0)
    assert sorted((row["name"], row["credit_limit"]) for row in limits) == [
        ("Müller Maschinenbau GmbH", 7500.0), ("Sharma Traders", 50000.0)]


def test_order_by_several_keys(sim, api):
    sim.set_now(sim.now())
    for name in ("B tie", "A tie", "C tie"):
        sim.insert("Customer", {"customer_name": name})
    sim.set_now(None)
    rows = api.list("Customer", fields=["name", "modified"], order_by="modified desc, name asc", limit=3)
    assert names(rows) == ["A tie", "B tie", "C tie"]
    rows = api.list("Customer", fields=["name"], order_by="`tabCustomer`.modified desc, `tabCustomer`.name desc", limit=3)
    assert names(rows) == ["C tie", "B tie", "A tie"]


def test_rows_equal_on_every_order_key_come_back_in_no_fixed_order(sim, api):
    sim.set_now(sim.now())
    for index in range(12):
        sim.insert("Customer", {"customer_name": f"Tie {index:02d}"})
    sim.set_now(None)
    orders = {tuple(names(api.list("Customer", order_by="modified desc", limit=12))) for _ in range(5)}
    assert len(orders) > 1  # a client that pages by modified alone skips and repeats rows


def test_offset_paging_over_changing_data_skips_rows(sim, api):
    sim.seed_customers(20)
    seen = names(api.list("Customer", order_by="modified asc, name asc", limit_page_length=10))
    sim.touch("Customer", seen[0], {"tax_id": "CHANGED"})  # moves to the end: everything shifts up by one
    seen += names(api.list("Customer", order_by="modified asc, name asc", limit_start=10, limit_page_length=10))
    seen += names(api.list("Customer", order_by="modified asc, name asc", limit_start=20, limit_page_length=10))
    assert len(set(seen)) == 23  # one of the 24 was never returned, one came twice
    assert len(seen) == 24


def test_bad_queries_get_frappe_s_errors(api):
    api.error("GET", "/api/resource/Customer", 417, "DataError", params={"fields": '["no_such_field"]'})
    api.error("GET", "/api/resource/Customer", 417, "ValidationError",
              params={"filters": json.dumps([["name", "~", "x"]])})
    api.error("GET", "/api/resource/Customer", 417, "DataError", params={"order_by": "nope desc"})
    assert api.error("GET", "/api/resource/Nonexistent", 404, "DoesNotExistError") == ["DocType Nonexistent not found"]


def test_count_and_get_list_methods(api):
    response = api.request("GET", "/api/method/frappe.client.get_count",
                           params={"doctype": "Customer", "filters": json.dumps({"disabled": 0})})
    assert response.json() == {"message": 3}
    response = api.request("POST", "/api/method/frappe.client.get_list",
                           json={"doctype": "Customer", "fields": ["name"], "filters": [["name", "in", SAMPLES[:2]]],
                                 "order_by": "name asc"})
    assert response.json() == {"message": [{"name": "Jane Doe"}, {"name": "Müller Maschinenbau GmbH"}]}


def test_the_query_log_keeps_what_was_asked(sim, api):
    api.list("Customer", fields=["name", "modified"], filters=[["modified", ">=", "2025-01-01"]],
             order_by="modified asc, name asc", limit_page_length=5)
    assert sim.queries[-1] == {
        "doctype": "Customer", "fields": ["name", "modified"], "filters": [["Customer", "modified", ">=", "2025-01-01"]],
        "or_filters": [], "order_by": "modified asc, name asc", "limit_start": 0, "limit_page_length": 5}


def test_an_overlong_url_is_refused_by_the_proxy(api):
    response = api.request("GET", "/api/resource/Customer", params={"filters": json.dumps([["name", "in", ["x" * 50] * 200]])})
    assert response.status_code == 414
    assert response.headers["Content-Type"].startswith("text/html")


def test_extra_rows_come_as_they_are_at_their_place_for_the_asked_answers_only(sim, api):
    sim.add_list_rows("Customer", ["not a row", None, {"customer_name": "No Name"}], at=1, times=1)

    rows = api.list("Customer", fields=["name"], order_by="name asc", limit_page_length=0)

    assert rows[1:4] == ["not a row", None, {"customer_name": "No Name"}]
    assert [row["name"] for row in rows[:1] + rows[4:]] == SAMPLES
    assert all(isinstance(row, dict) for row in api.list("Customer", limit_page_length=0))  # used up
    sim.add_list_rows("Contact", [7], times=None)
    assert api.list("Contact", limit_page_length=0)[0] == 7
    assert api.list("Contact", limit_page_length=0)[0] == 7
    assert all(isinstance(row, dict) for row in api.list("Customer", limit_page_length=0))
    sim.reset()
    assert all(isinstance(row, dict) for row in api.list("Contact", limit_page_length=0))
