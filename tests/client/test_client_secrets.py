"""The secret key never leaves the request body: not in logs, errors or reprs."""

import logging

import pytest

from metakocka_api import MetakockaError, RetryPolicy

SECRET = "sandbox-secret"


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included
    return caplog


def test_no_secret_in_any_log_record_or_error_across_faults(make_client, sim, order_body, everything_logged):
    client = make_client(timeout=(1.0, 0.5), retry=RetryPolicy(attempts=3, initial_delay=0.01, jitter=0))
    errors = []
    for kind, params in [("http_error", {"status": 503}), ("maintenance", {}), ("rate_limit", {}),
                         ("drop", {}), ("lost_reply", {}), ("hold", {"seconds": 0.8})]:
        sim.clear_faults()
        sim.add_fault(kind, times=None, **params)
        try:
            client.put_document(order_body())
        except MetakockaError as exc:
            errors.append(exc)
    sim.clear_faults()
    for bad in [{"discount": "10%"}, {"code": "UNKNOWN"}]:
        body = order_body()
        body["product_list"][0].update(bad)
        try:
            client.put_document(body)
        except MetakockaError as exc:
            errors.append(exc)

    assert len(errors) == 8
    assert len(everything_logged.records) > 0
    for record in everything_logged.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
    for error in errors:
        assert SECRET not in str(error)
        assert SECRET not in repr(error)
        assert SECRET not in repr(error.__dict__)


def test_an_error_message_that_echoes_the_secret_is_redacted(make_client, sim):
    client = make_client(secret_key="wrong-but-secret-key")
    with pytest.raises(MetakockaError) as caught:
        client.warehouse_list()
    assert "wrong-but-secret-key" not in str(caught.value)


def test_client_and_transport_reprs_hide_the_secret(client):
    for value in (client, client.transport):
        assert SECRET not in repr(value)
        assert SECRET not in str(vars(value))
