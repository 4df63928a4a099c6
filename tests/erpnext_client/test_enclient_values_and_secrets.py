"""ERPNext values (site-local timestamps, double-encoded messages) and a secret that never shows."""

import json
import logging
from datetime import datetime

import pytest

from erpnext_api import ERPNextError, RetryPolicy, get_client, parse_timestamp, server_messages, to_utc
from erpnext_api.values import from_utc

SECRET = "sandbox-secret"


def test_timestamps_with_and_without_microseconds():
    assert parse_timestamp("2025-01-31 10:00:00") == datetime(2025, 1, 31, 10, 0, 0)
    assert parse_timestamp("2025-01-31 10:00:00.000123") == datetime(2025, 1, 31, 10, 0, 0, 123)
    assert parse_timestamp(None) is None and parse_timestamp(False) is None
    with pytest.raises(ValueError):
        parse_timestamp("31.01.2025")


def test_site_time_converts_to_and_from_utc():
    assert to_utc("2025-01-31 10:00:00", "Asia/Kolkata") == datetime(2025, 1, 31, 4, 30)
    assert to_utc("2025-07-01 12:00:00", "Europe/Ljubljana") == datetime(2025, 7, 1, 10, 0)
    assert from_utc(datetime(2025, 1, 31, 4, 30), "Asia/Kolkata") == datetime(2025, 1, 31, 10, 0)


def test_server_messages_are_decoded_twice_and_stripped_of_html():
    body = {"_server_messages": json.dumps([json.dumps({"message": "Customer Group <b>Retail</b> already exists"}),
                                            json.dumps({"message": "Second"})])}
    assert server_messages(body) == ["Customer Group Retail already exists", "Second"]
    assert server_messages({"errors": [{"type": "DoesNotExistError", "message": "v2 style"}]}) == ["v2 style"]
    assert server_messages({"_server_messages": "not json"}) == ["not json"]


def test_no_secret_in_logs_errors_or_reprs(make_client, sim, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(timeout=(1.0, 0.3), retry=RetryPolicy(attempts=2, initial_delay=0.01, jitter=0))
    errors = []
    for kind, params in [("http_error", {"status": 502}), ("rate_limit", {}), ("drop", {}), ("lost_reply", {}),
                         ("hold", {"seconds": 0.5})]:
        sim.clear_faults()
        sim.add_fault(kind, times=None, **params)
        try:
            client.insert("Customer", {"customer_name": "Secretive"})
        except ERPNextError as exc:
            errors.append(exc)
    sim.clear_faults()
    wrong = make_client(api_secret="another-secret-value")
    with pytest.raises(ERPNextError) as caught:
        wrong.get_logged_user()
    errors.append(caught.value)
    assert len(errors) == 6
    assert caplog.records
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert "another-secret-value" not in record.getMessage()
    for error in errors:
        assert SECRET not in str(error) and SECRET not in repr(error.__dict__)
    for value in (client, client.transport, client.transport.session.auth):
        assert SECRET not in repr(value)
        assert SECRET not in str(vars(value)) if hasattr(value, "__dict__") else True


def test_one_shared_client_per_site_renewed_when_the_secret_changes(sim):
    first = get_client(sim.url, "sandbox-key", SECRET)
    assert get_client(sim.url, "sandbox-key", SECRET) is first
    renewed = get_client(sim.url, "sandbox-key", "other")
    assert renewed is not first
    renewed.close()
