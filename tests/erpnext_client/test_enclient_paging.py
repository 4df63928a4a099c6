"""Paging by ``modified asc, name asc`` with ``>=`` and de-duplication, under change and ties."""

import json

from erpnext_api import KeysetPager


def collect(pages):
    rows = [row for page in pages for row in page]
    return rows, [row["name"] for row in rows]


def test_pages_are_ordered_with_greater_or_equal_on_the_cursor(sim, client):
    names = sim.seed_customers(1200, seed=5)
    rows, seen = collect(client.iter_customer_pages(page_size=500))
    assert len(seen) == len(set(seen)) == 1204
    assert set(names) <= set(seen)
    queries = [query for query in sim.queries if query["doctype"] == "Customer"]
    assert all(query["order_by"] == "modified asc, name asc" for query in queries)
    assert all(query["limit_start"] == 0 for query in queries)  # no offsets: each page starts at a value
    assert queries[0]["filters"] == []
    assert queries[1]["filters"][0][2] == ">="


def test_rows_changed_while_paging_are_neither_lost_nor_repeated_unchanged(sim, client):
    names = sim.seed_customers(300, seed=6)
    edits = [names[5], names[150], names[299]]

    def edit(s):
        for name in edits:
            s.touch("Customer", name, {"tax_id": "EDITED"})

    sim.add_hook("list:Customer", edit, when="after", times=1)
    rows, seen = collect(client.iter_customer_pages(page_size=100))
    assert set(seen) == set(names) | {"Jane Doe", "Sharma Traders", "Müller Maschinenbau GmbH", "Nguyen Optics"}
    versions = [(row["name"], row["modified"]) for row in rows]
    assert len(versions) == len(set(versions))  # never the same version twice
    assert seen.count(names[5]) == 2  # read on page one, then again with its new 'modified'
    assert seen.count(names[150]) == 1 and seen.count(names[299]) == 1
    assert [row["tax_id"] for row in rows if row["name"] == names[5]][-1] == "EDITED"


def test_a_run_of_equal_timestamps_longer_than_a_page_is_walked_by_name(sim, client):
    sim.set_now(sim.now())
    for index in range(25):
        sim.insert("Customer", {"customer_name": f"Tie {index:02d}"})
    sim.set_now(None)
    sim.insert("Customer", {"customer_name": "After the tie"})
    rows, seen = collect(client.iter_customer_pages(page_size=10))
    assert len(seen) == len(set(seen)) == 30
    assert seen[-1] == "After the tie"
    tie = [name for name in seen if name.startswith("Tie")]
    assert tie == sorted(tie)


def test_a_pager_resumes_from_its_saved_state(sim, client):
    sim.seed_customers(50, seed=8)
    pager = client.pager("Customer", fields=["name"], page_size=20)
    first = pager.next_page()
    saved = json.loads(json.dumps(pager.state))  # through JSON, as the Odoo run keeps it
    resumed = KeysetPager(client, "Customer", fields=["name"], page_size=20, state=saved)
    rest = []
    while not resumed.done:
        rest += resumed.next_page()
    seen = [row["name"] for row in first + rest]
    assert len(seen) == len(set(seen)) == 54
    assert resumed.position == max((row["modified"] for row in first + rest), key=lambda value: value)


def test_an_incremental_read_starts_at_the_cursor(sim, client):
    rows, _ = collect(client.iter_customer_pages())
    cursor = max(row["modified"] for row in rows)
    sim.touch("Customer", "Jane Doe", {"tax_id": "NEW"})
    rows, seen = collect(client.iter_customer_pages(since=cursor))
    assert "Jane Doe" in seen and len(seen) <= 2  # the newest from before (>=) and the changed one


def test_many_names_go_in_chunks_and_long_filters_as_a_post(sim, client):
    names = sim.seed_customers(450, seed=4)
    found = client.customers(names)
    assert set(found) == set(names)
    posts = [request for request in sim.requests if request.op == "method:frappe.client.get_list"]
    assert posts and all(request.method == "POST" for request in posts)
    assert client.customers(["Jane Doe", "Nobody"]).keys() == {"Jane Doe"}


def test_contacts_addresses_and_credit_limits_of_a_page(client):
    customers = client.customers(["Sharma Traders", "Jane Doe", "Müller Maschinenbau GmbH"])
    contacts = client.contacts(row["customer_primary_contact"] for row in customers.values())
    assert contacts["Priya Sharma-Sharma Traders"]["mobile_no"] == "+91 98200 12345"
    addresses = client.addresses(row["customer_primary_address"] for row in customers.values())
    assert addresses["Müller Maschinenbau GmbH-Billing"]["state"] == "Bayern"
    assert client.credit_limits(list(customers), "Sandbox Europe GmbH") == {"Müller Maschinenbau GmbH": 20000.0}


def test_linked_changes_deletions_and_masters(sim, client):
    contact = sim.customer("Jane Doe")["customer_primary_contact"]
    since = sim.doc("Contact", contact)["modified"]
    sim.touch("Contact", contact, {"first_name": "Janet"})
    rows, _ = collect(client.iter_linked_changes("Contact", since))
    assert [(row["name"], row["customer"]) for row in rows if row["name"] == contact] == [(contact, "Jane Doe")]
    sim.delete("Customer", "Nguyen Optics")
    rows, _ = collect(client.iter_deleted_customers())
    assert [row["deleted_name"] for row in rows] == ["Nguyen Optics"]
    assert client.countries()["Viet Nam"] == "vn"
    assert "30 Days" in client.payment_terms_templates()
    assert client.newest("Customer") == max(row["modified"] for row in client.get_list(
        "Customer", fields=["modified"], limit_page_length=0))
