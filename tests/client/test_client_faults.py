"""Which failures the client retries, how, and which it hands to the caller at once."""

import http.server
import logging
import socket
import threading

import pytest

from metakocka_api import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    TemporarilyUnavailableError,
    UnknownOutcomeError,
    ValidationError,
)


def retry_delays(caplog):
    return [record.metakocka_retry_delay for record in caplog.records if hasattr(record, "metakocka_retry_delay")]


@pytest.mark.parametrize("fault", [
    {"kind": "http_error", "status": 500},
    {"kind": "http_error", "status": 502},
    {"kind": "http_error", "status": 503},
    {"kind": "http_error", "status": 504},
    {"kind": "maintenance"},
    {"kind": "maintenance", "status": 200},
    {"kind": "rate_limit"},
    {"kind": "drop"},
    {"kind": "hold", "seconds": 1.0},
])
def test_transient_faults_on_a_read_are_retried_with_growing_delays(fault, make_client, sim, order_body, caplog):
    client = make_client(timeout=(1.0, 0.5))
    mk_id = client.put_document(order_body())["mk_id"]
    sim.add_fault(fault.pop("kind"), times=3, ops=["get_document"], **fault)
    caplog.set_level(logging.WARNING, logger="metakocka_api")

    document = client.get_document("sales_order", mk_id)

    assert document["mk_id"] == mk_id
    assert sim.count("get_document") == 4
    delays = retry_delays(caplog)
    assert len(delays) == 3
    assert delays[0] < delays[1] < delays[2]


def test_a_read_gives_up_after_the_policy_attempts(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=3, initial_delay=0.01, jitter=0, total_time=5))
    sim.add_fault("http_error", status=502, times=None, ops=["warehouse_list"])
    with pytest.raises(TemporarilyUnavailableError) as caught:
        client.warehouse_list()
    assert caught.value.http_status == 502
    assert sim.count("warehouse_list") == 3


def test_the_total_time_bound_stops_retries_early(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=10, initial_delay=0.3, jitter=0, total_time=0.5))
    sim.add_fault("http_error", status=503, times=None, ops=["warehouse_list"])
    with pytest.raises(TemporarilyUnavailableError):
        client.warehouse_list()
    # 0.3 s then 0.6 s of back-off: the second retry would end after 0.5 s, so it is not made.
    assert sim.count("warehouse_list") == 2


@pytest.mark.parametrize("fault", [
    {"kind": "http_error", "status": 503},
    {"kind": "maintenance"},
    {"kind": "maintenance", "status": 200},
    {"kind": "rate_limit"},
])
def test_a_write_is_retried_when_it_surely_did_not_happen(fault, client, sim, order_body):
    sim.add_fault(fault.pop("kind"), times=2, ops=["put_document"], **fault)

    created = client.put_document(order_body())

    assert sim.count("put_document") == 3
    assert [doc["mk_id"] for doc in sim.documents("sales_order")] == [created["mk_id"]]


def test_a_write_to_a_host_that_refuses_connections_is_retried_then_unavailable(make_client, order_body, caplog):
    client = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    caplog.set_level(logging.WARNING, logger="metakocka_api")
    with pytest.raises(TemporarilyUnavailableError, match="cannot connect"):
        client.put_document(order_body())
    assert len(retry_delays(caplog)) == 3  # four attempts in all


@pytest.mark.parametrize("fault", [
    {"kind": "lost_reply"},
    {"kind": "hold", "seconds": 1.0},
    {"kind": "drop"},
    {"kind": "http_error", "status": 500},
    {"kind": "http_error", "status": 502},
    {"kind": "http_error", "status": 504},
])
def test_a_write_without_a_sure_answer_is_an_unknown_outcome_and_never_resent(fault, make_client, sim, order_body):
    client = make_client(timeout=(1.0, 0.5))
    sim.add_fault(fault.pop("kind"), times=1, ops=["put_document"], **fault)

    with pytest.raises(UnknownOutcomeError) as caught:
        client.put_document(order_body(buyer_order="ODOO-SO-LOST"))

    assert caught.value.op == "put_document"
    assert sim.count("put_document") == 1


def test_after_a_lost_reply_the_document_is_found_by_buyer_order_not_created_again(client, sim, order_body):
    sim.add_fault("lost_reply", times=1, ops=["put_document"])
    with pytest.raises(UnknownOutcomeError):
        client.put_document(order_body(buyer_order="ODOO-SO-9"))

    found = client.find_sales_order("ODOO-SO-9")

    assert found is not None
    assert len(sim.documents("sales_order")) == 1
    assert sim.count("put_document") == 1


@pytest.mark.parametrize("op_call", ["get_partner", "get_document"])
def test_opr_code_2_is_not_retried(op_call, client, sim):
    with pytest.raises(NotFoundError):
        if op_call == "get_partner":
            client.call("get_partner", {"partner_tax_number": "SI00000000"})
        else:
            client.get_document("sales_order", "1999999999999")
    assert sim.count(op_call) == 1


def test_validation_errors_are_not_retried(client, sim, order_body):
    body = order_body()
    body["product_list"][0]["discount"] = "10%"
    with pytest.raises(ValidationError) as caught:
        client.put_document(body)
    assert caught.value.opr_code == "2"
    assert sim.count("put_document") == 1


def test_wrong_credentials_are_an_authentication_error_not_retried(make_client, sim):
    client = make_client(secret_key="wrong-key")
    with pytest.raises(AuthenticationError) as caught:
        client.warehouse_list()
    assert caught.value.opr_code == "3"
    assert sim.count("warehouse_list") == 1


def test_an_unknown_company_is_an_authentication_error(make_client):
    with pytest.raises(AuthenticationError):
        make_client(company_id="9999").warehouse_list()


def test_rate_limit_that_never_ends_surfaces_as_rate_limited(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=2, initial_delay=0.01, jitter=0))
    sim.add_fault("rate_limit", times=None)
    with pytest.raises(RateLimitedError) as caught:
        client.warehouse_list()
    assert caught.value.opr_code == "5"
    assert sim.count("warehouse_list") == 2


def test_a_url_that_is_not_metakocka_is_a_configuration_error(make_client, not_metakocka_url):
    client = make_client(base_url=not_metakocka_url)
    with pytest.raises(ConfigurationError, match="HTTP 404: check the Metakocka API URL"):
        client.warehouse_list()


@pytest.mark.parametrize("settings, message", [
    ({"base_url": ""}, "URL is not set"),
    ({"base_url": "main.metakocka.si"}, "not an http"),
    ({"company_id": ""}, "company id is not set"),
    ({"secret_key": ""}, "secret key is not set"),
])
def test_missing_settings_are_configuration_errors(settings, message, make_client):
    with pytest.raises(ConfigurationError, match=message):
        make_client(**settings)


def test_a_pasted_endpoint_url_is_reduced_to_the_host(make_client, sim):
    client = make_client(base_url=sim.url + "/rest/eshop/v1/")
    assert len(client.warehouse_list()) == 2


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def not_metakocka_url():
    """A web server that answers every POST with an HTML 404, like a mistyped host or path."""

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_retry_after_is_honoured_over_a_shorter_back_off(client, sim, caplog):
    sim.add_fault("maintenance", retry_after=1, ops=["warehouse_list"])  # whole seconds, as in HTTP
    caplog.set_level(logging.WARNING, logger="metakocka_api")

    client.warehouse_list()

    assert retry_delays(caplog) == [1.0]
    first, second = [req.received_at for req in sim.requests]
    assert (second - first).total_seconds() >= 1.0
