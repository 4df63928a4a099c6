"""Single documents: reads, creates with ERPNext's naming and validation, partial updates with the
optimistic lock, Contact and Address linked through ``links``, deletes (reference §2, §3, §6)."""

import json

import pytest

from sandbox.erpnext import ERPNextSimulator, SiteSettings


def test_a_single_document_leaves_nulls_out_and_carries_its_child_tables(api):
    doc = api.get("Customer", "Müller Maschinenbau GmbH")
    assert "lead_name" not in doc and "customer_details" not in doc
    assert [(row["company"], row["credit_limit"], row["parentfield"], row["parenttype"]) for row in doc["credit_limits"]] == [
        ("Sandbox Europe GmbH", 20000.0, "credit_limits", "Customer"), ("Sandbox Company", 7500.0, "credit_limits", "Customer")]
    assert {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "doctype"} <= set(doc)


def test_a_missing_document_is_a_404_with_double_encoded_messages(api):
    response = api.request("GET", "/api/resource/Customer/Nobody")
    assert response.status_code == 404
    body = response.json()
    assert isinstance(body["_server_messages"], str)
    message = json.loads(json.loads(body["_server_messages"])[0])
    assert message["message"] == "Customer Nobody not found"
    assert message["indicator"] == "red" and message["raise_exception"] == 1


def test_an_existing_customer_name_silently_becomes_name_dash_one(api):
    response = api.request("POST", "/api/resource/Customer", json={"customer_name": "Jane Doe"})
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Jane Doe - 1"
    assert response.json()["data"]["customer_name"] == "Jane Doe"
    note = json.loads(json.loads(response.json()["_server_messages"])[0])
    assert note["message"] == "Changed customer name to 'Jane Doe - 1' as 'Jane Doe' already exists."
    assert api.insert("Customer", {"customer_name": "JANE DOE"})["name"] == "JANE DOE - 2"  # names ignore case


def test_the_naming_series_when_selling_settings_say_so():
    with ERPNextSimulator(settings=SiteSettings(customer_naming="naming_series")) as sim:
        first = sim.insert("Customer", {"customer_name": "Jane Doe"})
        second = sim.insert("Customer", {"customer_name": "Jane Doe"})
        assert first["name"].startswith("CUST-") and first["name"].endswith("-00001")
        assert second["name"].endswith("-00002")


def test_mandatory_link_and_select_validation(api):
    assert api.error("POST", "/api/resource/Customer", 417, "MandatoryError", json={"tax_id": "X"}) == [
        "Error: Value missing for Customer: Customer Name"]
    assert api.error("POST", "/api/resource/Customer", 417, "LinkValidationError",
                     json={"customer_name": "A", "payment_terms": "Net 999"}) == [
        "Could not find Default Payment Terms Template: Net 999"]
    messages = api.error("POST", "/api/resource/Customer", 417, "ValidationError",
                         json={"customer_name": "A", "customer_type": "Robot"})
    assert messages[0].startswith('Customer Type cannot be "Robot"')
    assert api.error("POST", "/api/resource/Customer", 417, "ValidationError",
                     json={"customer_name": "A", "address_line1": "Street 1"}) == [
        "Following fields are mandatory to create address: City, Country"]
    assert api.error("POST", "/api/resource/Customer", 417, "LinkValidationError",
                     json={"customer_name": "A", "address_line1": "Street 1", "city": "X", "country": "Atlantis"}) == [
        "Could not find Country: Atlantis"]
    assert not api.list("Customer", filters={"customer_name": "A"})  # nothing half-written


def test_quick_entry_creates_a_primary_contact_and_address_linked_to_the_customer(api):
    doc = api.insert("Customer", {"customer_name": "Acme Ltd", "email_id": "info@acme.example", "mobile_no": "+44 7700 900",
                                  "address_line1": "1 High Street", "city": "Leeds", "pincode": "LS1",
                                  "country": "United Kingdom"})
    assert (doc["email_id"], doc["mobile_no"]) == ("info@acme.example", "+44 7700 900")
    contact = api.get("Contact", doc["customer_primary_contact"])
    assert contact["name"] == "Acme Ltd-Acme Ltd"  # a company's contact carries company_name, not a person
    assert contact["company_name"] == "Acme Ltd" and contact["is_primary_contact"] == 1
    assert [(link["link_doctype"], link["link_name"]) for link in contact["links"]] == [("Customer", "Acme Ltd")]
    assert [(row["email_id"], row["is_primary"]) for row in contact["email_ids"]] == [("info@acme.example", 1)]
    address = api.get("Address", doc["customer_primary_address"])
    assert address["name"] == "Acme Ltd-Billing"
    assert (address["address_line1"], address["city"], address["country"]) == ("1 High Street", "Leeds", "United Kingdom")
    assert [(link["link_doctype"], link["link_name"]) for link in address["links"]] == [("Customer", "Acme Ltd")]
    assert "1 High Street<br>" in doc["primary_address"]


def test_a_put_is_partial_and_sets_a_new_modified(sim, api):
    before = api.get("Customer", "Sharma Traders")
    after = api.update("Customer", "Sharma Traders", {"tax_id": "NEW"})
    assert after["tax_id"] == "NEW" and after["customer_details"] == before["customer_details"]
    assert after["modified"] > before["modified"]


def test_child_tables_in_a_put_replace_the_whole_table_keeping_named_rows(api):
    doc = api.get("Customer", "Müller Maschinenbau GmbH")
    kept = doc["credit_limits"][0]
    after = api.update("Customer", doc["name"], {"credit_limits": [
        {"name": kept["name"], "company": kept["company"], "credit_limit": 1.0}]})
    assert [(row["name"], row["credit_limit"]) for row in after["credit_limits"]] == [(kept["name"], 1.0)]


def test_a_stale_modified_is_a_timestamp_mismatch(sim, api):
    doc = api.get("Customer", "Jane Doe")
    sim.touch("Customer", "Jane Doe", {"tax_id": "someone else"})
    messages = api.error("PUT", "/api/resource/Customer/Jane Doe", 417, "TimestampMismatchError",
                         json={"tax_id": "mine", "modified": doc["modified"]})
    assert "has been modified after you have opened it" in messages[0]
    assert api.get("Customer", "Jane Doe")["tax_id"] == "someone else"
    current = api.get("Customer", "Jane Doe")["modified"]
    assert api.update("Customer", "Jane Doe", {"tax_id": "mine", "modified": current})["tax_id"] == "mine"


def test_customer_email_and_mobile_are_copies_of_the_primary_contact(sim, api):
    after = api.update("Customer", "Jane Doe", {"email_id": "typed@example.com"})
    assert after["email_id"] == "jane.doe@example.com"  # fetch_from wins over what was written
    contact = after["customer_primary_contact"]
    api.update("Contact", contact, {"email_ids": [{"email_id": "new@example.com", "is_primary": 1}]})
    assert api.get("Customer", "Jane Doe")["email_id"] == "jane.doe@example.com"  # not until the customer is saved
    assert api.update("Customer", "Jane Doe", {})["email_id"] == "new@example.com"


def test_contact_email_and_phones_come_from_their_child_tables(api):
    contact = api.get("Customer", "Sharma Traders")["customer_primary_contact"]
    after = api.update("Contact", contact, {"email_id": "ignored@example.com"})
    assert after["email_id"] == "priya@sharma-traders.example"
    after = api.update("Contact", contact, {"phone_nos": [{"phone": "+1", "is_primary_phone": 1},
                                                          {"phone": "+2", "is_primary_mobile_no": 1}]})
    assert (after["phone"], after["mobile_no"]) == ("+1", "+2")
    after = api.update("Contact", contact, {"email_ids": []})
    assert "email_id" not in after or after["email_id"] == ""
    assert api.error("PUT", f"/api/resource/Contact/{contact}", 417, "ValidationError", json={"email_ids": [
        {"email_id": "a@example.com", "is_primary": 1}, {"email_id": "b@example.com", "is_primary": 1}]}) == [
        "Only one Email ID can be set as primary."]
    api.error("PUT", f"/api/resource/Contact/{contact}", 417, "InvalidEmailAddressError",
              json={"email_ids": [{"email_id": "not-an-email", "is_primary": 1}]})


def test_contacts_and_addresses_are_linked_through_links(api):
    contact = api.insert("Contact", {"first_name": "Ana", "last_name": "Novak",
                                     "links": [{"link_doctype": "Customer", "link_name": "Jane Doe"}]})
    assert contact["name"] == "Ana Novak-Jane Doe"
    assert api.insert("Contact", {"first_name": "Ana", "last_name": "Novak", "links": [
        {"link_doctype": "Customer", "link_name": "Jane Doe"}]})["name"] == "Ana Novak-Jane Doe-1"
    api.error("POST", "/api/resource/Contact", 417, "LinkValidationError",
              json={"first_name": "X", "links": [{"link_doctype": "Customer", "link_name": "Nobody"}]})
    address = api.insert("Address", {"address_line1": "2 Side St", "city": "Austin", "country": "United States",
                                      "is_primary_address": 1,
                                      "links": [{"link_doctype": "Customer", "link_name": "Jane Doe"}]})
    assert address["name"] == "Jane Doe-Billing-1"
    assert api.get("Address", "Jane Doe-Billing")["is_primary_address"] == 0  # the other loses the flag
    api.error("POST", "/api/resource/Address", 417, "MandatoryError", json={"address_line1": "x", "address_title": "t"})


def test_delete_answers_202_and_leaves_deleted_documents(sim, api):
    contact = api.get("Customer", "Jane Doe")["customer_primary_contact"]
    response = api.request("DELETE", "/api/resource/Customer/Jane Doe")
    assert (response.status_code, response.json()) == (202, {"data": "ok"})
    api.error("GET", "/api/resource/Customer/Jane Doe", 404, "DoesNotExistError")
    api.error("GET", f"/api/resource/Contact/{contact}", 404, "DoesNotExistError")
    rows = api.list("Deleted Document", fields=["deleted_name", "deleted_doctype", "data"], limit_page_length=0)
    assert sorted((row["deleted_doctype"], row["deleted_name"]) for row in rows) == [
        ("Address", "Jane Doe-Billing"), ("Contact", contact), ("Customer", "Jane Doe")]
    data = json.loads(next(row["data"] for row in rows if row["deleted_doctype"] == "Customer"))
    assert data["customer_name"] == "Jane Doe"


def test_a_primary_contact_cannot_be_deleted_while_linked(api):
    contact = api.get("Customer", "Sharma Traders")["customer_primary_contact"]
    messages = api.error("DELETE", f"/api/resource/Contact/{contact}", 417, "LinkExistsError")
    assert "is linked with Customer Sharma Traders" in messages[0]


def test_frappe_v14_answers_delete_with_message():
    with ERPNextSimulator(settings=SiteSettings(frappe_version=14)) as sim:
        import requests

        response = requests.delete(f"{sim.url}/api/resource/Customer/Jane Doe",
                                   headers={"Authorization": "token sandbox-key:sandbox-secret"}, timeout=5)
        assert (response.status_code, response.json()) == (202, {"message": "ok"})


@pytest.mark.parametrize("path", ["/api/v1/resource/Customer/Jane%20Doe", "/api/resource/Customer/Jane%20Doe/"])
def test_v1_alias_trailing_slash_and_encoded_names(api, path):
    response = api.request("GET", path)
    assert response.json()["data"]["name"] == "Jane Doe"


def test_masters_collide_with_409(api):
    api.insert("Payment Terms Template", {"template_name": "Net 99"})
    messages = api.error("POST", "/api/resource/Payment Terms Template", 409, "DuplicateEntryError",
                         json={"template_name": "Net 99"})
    assert messages == ["Payment Terms Template Net 99 already exists"]
