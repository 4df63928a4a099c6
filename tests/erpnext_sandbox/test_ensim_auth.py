"""Authentication and permissions as Frappe answers them (reference §1, §8.1)."""

import base64

import pytest
import requests

from sandbox.erpnext import ERPNextSimulator, SiteSettings


def test_token_and_basic_auth_are_accepted(sim, api):
    assert api.list("Customer", limit_page_length=1)
    basic = base64.b64encode(b"sandbox-key:sandbox-secret").decode()
    response = requests.get(f"{sim.url}/api/method/frappe.auth.get_logged_user",
                            headers={"Authorization": f"Basic {basic}"}, timeout=5)
    assert response.json() == {"message": "sync@sandbox.example"}


@pytest.mark.parametrize("header", ["token sandbox-key:wrong", "token nobody:sandbox-secret", "Bearer abc",
                                    f"Basic {base64.b64encode(b'sandbox-key:nope').decode()}"])
def test_wrong_credentials_are_a_401_without_server_messages(sim, header):
    response = requests.get(f"{sim.url}/api/resource/Customer", headers={"Authorization": header}, timeout=5)
    assert response.status_code == 401
    assert response.json() == {"exc_type": "AuthenticationError"}


def test_a_malformed_basic_token_is_a_400(sim):
    response = requests.get(f"{sim.url}/api/resource/Customer", headers={"Authorization": "Basic %%%"}, timeout=5)
    assert (response.status_code, response.json()["exc_type"]) == (400, "InvalidAuthorizationToken")


def test_no_credentials_is_guest_refused_with_403(sim, api):
    for path in ("/api/resource/Customer", "/api/resource/Contact/x", "/api/method/frappe.auth.get_logged_user"):
        response = requests.get(sim.url + path, timeout=5)
        assert response.status_code == 403, path
        assert response.json()["exc_type"] == "PermissionError"
    guest = requests.get(f"{sim.url}/api/method/frappe.client.get_time_zone", timeout=5)
    assert guest.json() == {"message": {"time_zone": "Asia/Kolkata"}}


def test_frappe_v14_lets_a_wrong_token_fall_through_to_guest():
    with ERPNextSimulator(settings=SiteSettings(frappe_version=14)) as sim:
        response = requests.get(f"{sim.url}/api/resource/Customer", headers={"Authorization": "token x:y"}, timeout=5)
        assert (response.status_code, response.json()["exc_type"]) == (403, "PermissionError")


def test_deleted_document_needs_the_system_manager_role(sim, api):
    assert api.list("Deleted Document") == []
    sim.settings.api_user_roles.discard("System Manager")
    messages = api.error("GET", "/api/resource/Deleted Document", 403, "PermissionError")
    assert messages == ["No permission for Deleted Document"]


def test_credentials_are_configurable():
    with ERPNextSimulator(api_key="k", api_secret="s", api_user="someone@example.com") as sim:
        response = requests.get(f"{sim.url}/api/method/frappe.auth.get_logged_user",
                                headers={"Authorization": "token k:s"}, timeout=5)
        assert response.json() == {"message": "someone@example.com"}
