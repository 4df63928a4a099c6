"""Which failures are retried, how, and which go to the caller at once; never a blind re-create."""

import logging
import time

import pytest

from erpnext_api import (
    RateLimitedError,
    RetryPolicy,
    TemporarilyUnavailableError,
    UnknownOutcomeError,
)


def retry_delays(caplog):
    return [record.erpnext_retry_delay for record in caplog.records if hasattr(record, "erpnext_retry_delay")]


@pytest.mark.parametrize("fault", [
    {"kind": "http_error", "status": 500},
    {"kind": "http_error", "status": 502},
    {"kind": "http_error", "status": 503},
    {"kind": "http_error", "status": 504},
    {"kind": "maintenance"},
    {"kind": "maintenance", "status": 200},
    {"kind": "drop"},
    {"kind": "hold", "seconds": 1.0},
])
def test_transient_failures_of_a_read_are_retried_with_growing_delays(fault, make_client, sim, caplog):
    client = make_client(timeout=(1.0, 0.5))
    sim.add_fault(fault.pop("kind"), times=3, ops=["get:Customer"], **fault)
    caplog.set_level(logging.WARNING, logger="erpnext_api")

    assert client.get_doc("Customer", "Jane Doe")["name"] == "Jane Doe"

    assert sim.count("get:Customer") == 4
    delays = retry_delays(caplog)
    assert len(delays) == 3
    assert delays[0] < delays[1] < delays[2]


def test_retry_after_is_honoured(make_client, sim, caplog):
    client = make_client(retry=RetryPolicy(attempts=2, initial_delay=0.01, jitter=0, total_time=10))
    sim.add_fault("rate_limit", times=1, ops=["list:Customer"])
    caplog.set_level(logging.WARNING, logger="erpnext_api")
    started = time.monotonic()
    client.get_list("Customer")
    assert time.monotonic() - started >= 1.0  # the simulator says Retry-After: 1
    assert retry_delays(caplog) == [1.0]


def test_a_retry_after_longer_than_the_policy_allows_goes_to_the_caller(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=3, initial_delay=0.01, max_retry_after=0.5))
    sim.add_fault("http_error", status=503, retry_after=120, times=None, ops=["list:Customer"])
    with pytest.raises(TemporarilyUnavailableError) as caught:
        client.get_list("Customer")
    assert caught.value.retry_after == 120
    assert sim.count("list:Customer") == 1


def test_a_read_gives_up_after_the_policy_s_attempts(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=3, initial_delay=0.01, jitter=0, total_time=5))
    sim.add_fault("http_error", status=502, times=None, ops=["list:Customer"])
    with pytest.raises(TemporarilyUnavailableError) as caught:
        client.get_list("Customer")
    assert caught.value.http_status == 502
    assert sim.count("list:Customer") == 3


@pytest.mark.parametrize("fault", [
    {"kind": "http_error", "status": 503},
    {"kind": "maintenance"},
    {"kind": "rate_limit"},
])
def test_a_create_is_retried_only_when_it_surely_did_not_happen(fault, client, sim):
    sim.add_fault(fault.pop("kind"), times=2, ops=["insert:Customer"], **fault)
    created = client.insert("Customer", {"customer_name": "Retried Ltd"})
    assert created["name"] == "Retried Ltd"
    assert sim.count("insert:Customer") == 3
    assert len(client.find_customers("Retried Ltd")) == 1


@pytest.mark.parametrize("fault", [
    {"kind": "lost_reply"},
    {"kind": "http_error", "status": 500},
    {"kind": "http_error", "status": 502},
    {"kind": "http_error", "status": 504},
    {"kind": "hold", "seconds": 0.6},
])
def test_a_create_without_a_sure_answer_is_never_sent_again(fault, make_client, sim):
    client = make_client(timeout=(1.0, 0.3))
    sim.add_fault(fault.pop("kind"), ops=["insert:Customer"], **fault)
    with pytest.raises(UnknownOutcomeError):
        client.insert("Customer", {"customer_name": "Maybe Ltd"})
    assert sim.count("insert:Customer") == 1


def test_an_update_with_a_lost_reply_is_an_unknown_outcome_too(client, sim):
    sim.add_fault("lost_reply", ops=["update:Customer"])
    with pytest.raises(UnknownOutcomeError):
        client.update("Customer", "Jane Doe", {"tax_id": "X"})
    assert sim.count("update:Customer") == 1
    assert sim.customer("Jane Doe")["tax_id"] == "X"


def test_maintenance_mode_is_transient(client, sim):
    sim.settings.maintenance_mode = True
    with pytest.raises(TemporarilyUnavailableError, match="HTTP 503"):
        client.insert("Customer", {"customer_name": "Later"})
    assert sim.count("insert:Customer") == 4  # SessionStopped: surely not done, so retried


def test_connection_refused_is_retried_and_then_transient(make_client):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}", retry=RetryPolicy(attempts=2, initial_delay=0.01))
    with pytest.raises(TemporarilyUnavailableError, match="cannot connect to ERPNext"):
        client.insert("Customer", {"customer_name": "Nobody home"})


def test_rate_limited_is_its_own_class(make_client, sim):
    client = make_client(retry=RetryPolicy(attempts=1))
    sim.add_fault("rate_limit", ops=["list:Customer"])
    with pytest.raises(RateLimitedError) as caught:
        client.get_list("Customer")
    assert caught.value.retry_after == 1.0
