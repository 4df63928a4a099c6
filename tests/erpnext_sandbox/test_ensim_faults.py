"""Fault injection and request recording, on the shared simulator base (sandbox/core)."""

import json
import time

import pytest
import requests


def test_rate_limit_is_frappe_s_429_with_retry_after(sim, api):
    sim.add_fault("rate_limit", ops=["list:Customer"])
    response = api.request("GET", "/api/resource/Customer")
    assert response.status_code == 429
    assert response.json() == {"exc_type": "TooManyRequestsError"}
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert api.request("GET", "/api/resource/Customer").status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_http_errors_are_proxy_html_pages_and_nothing_is_done(sim, api, status):
    sim.add_fault("http_error", status=status, ops=["insert:Customer"])
    response = api.request("POST", "/api/resource/Customer", json={"customer_name": "Lost"})
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert sim.customer("Lost") is None


def test_maintenance_mode_is_session_stopped(sim, api):
    sim.settings.maintenance_mode = True
    response = api.request("GET", "/api/resource/Customer")
    assert (response.status_code, response.json()) == (503, {"exc_type": "SessionStopped"})


@pytest.mark.parametrize("kind, written", [("drop", False), ("lost_reply", True)])
def test_connections_closed_without_a_reply(sim, api, kind, written):
    sim.add_fault(kind, ops=["insert:Customer"])
    with pytest.raises(requests.ConnectionError):
        api.request("POST", "/api/resource/Customer", json={"customer_name": "Maybe"})
    assert (sim.customer("Maybe") is not None) == written


def test_hold_lets_the_client_time_out_while_the_write_happens(sim, api):
    sim.add_fault("hold", seconds=0.5, ops=["update:Customer"])
    with pytest.raises(requests.ReadTimeout):
        api.request("PUT", "/api/resource/Customer/Jane Doe", json={"tax_id": "SLOW"}, timeout=(2, 0.1))
    deadline = time.monotonic() + 3
    while sim.customer("Jane Doe")["tax_id"] != "SLOW" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sim.customer("Jane Doe")["tax_id"] == "SLOW"


def test_requests_are_recorded_by_operation(sim, api):
    api.list("Customer")
    api.get("Customer", "Jane Doe")
    api.request("GET", "/api/method/frappe.client.get_count", params={"doctype": "Contact"})
    api.request("GET", "/api/nothing/here")
    assert [request.op for request in sim.requests] == [
        "list:Customer", "get:Customer", "method:frappe.client.get_count", None]
    assert sim.count("get:Customer") == 1


def test_hooks_run_between_a_client_s_calls(sim, api):
    sim.add_hook("update:Customer", lambda s: s.touch("Customer", "Jane Doe", {"tax_id": "theirs"}))
    doc = api.get("Customer", "Jane Doe")
    response = api.request("PUT", "/api/resource/Customer/Jane Doe", json={"tax_id": "ours", "modified": doc["modified"]})
    assert response.json()["exc_type"] == "TimestampMismatchError"


def test_the_admin_api(sim, api):
    admin = sim.url + "/_sandbox"
    assert requests.post(f"{admin}/seed", json={"customers": 25, "seed": 2}, timeout=5).json()["customers"] == 25
    assert len(requests.get(f"{admin}/docs", params={"doctype": "Customer"}, timeout=5).json()) == 29
    touched = requests.post(f"{admin}/touch", json={"name": "Jane Doe", "changes": {"tax_id": "ADMIN"}}, timeout=5).json()
    assert touched["tax_id"] == "ADMIN"
    assert requests.post(f"{admin}/delete", json={"name": "Jane Doe"}, timeout=5).json() == {"status": "ok"}
    clock = requests.post(f"{admin}/clock", json={"now": "2025-05-05T10:00:00"}, timeout=5).json()
    assert clock == {"now": "2025-05-05 10:00:00", "time_zone": "Asia/Kolkata"}
    settings = requests.post(f"{admin}/settings", json={"frappe_version": 14}, timeout=5).json()
    assert settings["frappe_version"] == 14
    assert requests.post(f"{admin}/settings", json={"colour": "red"}, timeout=5).status_code == 400
    requests.post(f"{admin}/faults", json={"kind": "http_error", "status": 502, "ops": ["list:Customer"]}, timeout=5)
    assert api.request("GET", "/api/resource/Customer").status_code == 502
    api.list("Customer", limit=1)
    assert requests.get(f"{admin}/queries", timeout=5).json()[-1]["limit_page_length"] == 1
    listed = requests.get(f"{admin}/requests", params={"op": "list:Customer"}, timeout=5).json()
    assert [entry["fault"] for entry in listed] == ["http_error", None]
    assert requests.post(f"{admin}/reset", timeout=5).json() == {"status": "ok"}
    assert sim.customer("Jane Doe") is not None and sim.settings.frappe_version == 15


def test_an_unknown_api_path_is_json_and_other_paths_html(sim, api):
    response = api.request("GET", "/api/nothing")
    assert (response.status_code, response.json()["exc_type"]) == (404, "DoesNotExistError")
    response = api.request("GET", "/app/customer")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")
    response = api.request("PATCH", "/api/resource/Customer")
    assert response.status_code == 405
    assert json.loads(api.request("GET", "/api/method/frappe.ping").text) == {"message": "pong"}


def test_a_read_right_after_one_customer_s_create_can_fail(sim, api):
    """A fault that wakes when the create of "Lost Read" was served, and hits only reads naming it."""
    sim.add_fault("http_error", status=500, times=1, ops=["list:Customer", "get:Customer"],
                  match="Lost Read", after="insert:Customer")
    assert api.list("Customer", filters=[["name", "in", ["Lost Read"]]]) == []  # still asleep
    api.insert("Customer", {"customer_name": "Someone Else"})
    api.insert("Customer", {"customer_name": "Lost Read"})
    assert api.request("GET", "/api/resource/Customer/Someone Else").status_code == 200
    response = api.request("GET", "/api/resource/Customer", params={"filters": json.dumps([["name", "in", ["Lost Read"]]])})
    assert response.status_code == 500
    assert api.get("Customer", "Lost Read")["customer_name"] == "Lost Read"  # used up
    assert sim.list_faults() == []
