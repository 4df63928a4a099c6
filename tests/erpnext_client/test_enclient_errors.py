"""ERPNext's answers turned into typed errors carrying the server's own message."""

import http.server
import threading

import pytest

from erpnext_api import (
    AuthenticationError,
    ConfigurationError,
    DuplicateEntryError,
    LinkValidationError,
    MandatoryError,
    NotFoundError,
    PermissionDeniedError,
    TimestampMismatchError,
    ValidationError,
)
from sandbox.erpnext import ERPNextSimulator, SiteSettings


def test_test_connection_says_who_where_and_how_many(client):
    info = client.test_connection()
    assert (info.user, info.time_zone, info.customers) == ("sync@sandbox.example", "Asia/Kolkata", 4)


def test_refused_credentials(make_client):
    with pytest.raises(AuthenticationError) as caught:
        make_client(api_secret="wrong").get_logged_user()
    assert caught.value.http_status == 401
    assert isinstance(caught.value, ConfigurationError)


def test_frappe_v14_guest_refusal_is_a_permission_error_that_hints_at_the_credentials():
    from erpnext_api import ERPNextClient

    with ERPNextSimulator(settings=SiteSettings(frappe_version=14)) as sim:
        client = ERPNextClient(sim.url, "sandbox-key", "wrong")
        with pytest.raises(PermissionDeniedError) as caught:
            client.get_list("Customer")
        assert "Not permitted" in str(caught.value) and "API key and secret are wrong" in str(caught.value)
        client.close()


def test_not_found_names_the_document(client):
    with pytest.raises(NotFoundError) as caught:
        client.get_doc("Customer", "Nobody")
    assert str(caught.value) == "ERPNext refused GET /api/resource/Customer/Nobody: Customer Nobody not found"
    assert (caught.value.http_status, caught.value.exc_type) == (404, "DoesNotExistError")
    assert client.find_doc("Customer", "Nobody") is None


def test_validation_errors_carry_erpnext_s_message(client):
    with pytest.raises(MandatoryError, match="Value missing for Customer: Customer Name"):
        client.insert("Customer", {"tax_id": "X"})
    with pytest.raises(LinkValidationError, match="Could not find Default Payment Terms Template: Net 999"):
        client.insert("Customer", {"customer_name": "A", "payment_terms": "Net 999"})
    with pytest.raises(ValidationError, match='Customer Type cannot be "Robot"'):
        client.insert("Customer", {"customer_name": "A", "customer_type": "Robot"})
    client.insert("Payment Terms Template", {"template_name": "Net 99"})
    with pytest.raises(DuplicateEntryError, match="Payment Terms Template Net 99 already exists"):
        client.insert("Payment Terms Template", {"template_name": "Net 99"})


def test_a_stale_modified_is_a_timestamp_mismatch(sim, client):
    modified = client.get_doc("Customer", "Jane Doe")["modified"]
    sim.touch("Customer", "Jane Doe", {"tax_id": "theirs"})
    with pytest.raises(TimestampMismatchError) as caught:
        client.update("Customer", "Jane Doe", {"tax_id": "ours"}, modified=modified)
    assert caught.value.exc_type == "TimestampMismatchError"
    assert "modified after you have opened it" in str(caught.value)


def test_the_name_dash_one_answer_is_returned_as_erpnext_stored_it(client):
    assert client.insert("Customer", {"customer_name": "Jane Doe"})["name"] == "Jane Doe - 1"
    assert [row["name"] for row in client.find_customers("Jane Doe")] == ["Jane Doe", "Jane Doe - 1"]
    mine = client.find_customers("Jane Doe", owner="sync@sandbox.example")
    assert [row["name"] for row in mine] == ["Jane Doe - 1"]


@pytest.fixture
def html_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = b"<html><body>Not Found</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_that_is_not_erpnext_is_a_configuration_error(make_client, html_server):
    with pytest.raises(ConfigurationError, match="answered HTTP 404: check the ERPNext URL"):
        make_client(base_url=html_server).get_logged_user()


@pytest.mark.parametrize("url, message", [("", "URL is not set"), ("ftp://x", r"not an http\(s\) address")])
def test_missing_or_malformed_settings(make_client, url, message):
    with pytest.raises(ConfigurationError, match=message):
        make_client(base_url=url)
    with pytest.raises(ConfigurationError, match="API secret is not set"):
        make_client(api_secret="")


def test_a_pasted_desk_url_is_reduced_to_the_site(sim, make_client):
    client = make_client(base_url=f"{sim.url}/app/customer?x=1")
    assert client.base_url == sim.url
    assert client.get_logged_user() == "sync@sandbox.example"
