"""``modified`` is a naive timestamp in the site's time zone, written with ``str(datetime)``."""

from datetime import datetime, timedelta, timezone

import requests

from sandbox.erpnext import ERPNextSimulator, parse_timestamp


def test_modified_is_naive_site_time_not_utc(api):
    before = datetime.now(timezone.utc).replace(tzinfo=None)
    doc = api.update("Customer", "Jane Doe", {"tax_id": "T"})
    modified = parse_timestamp(doc["modified"])
    # Asia/Kolkata is UTC+05:30 all year.
    assert abs((modified - before) - timedelta(hours=5, minutes=30)) < timedelta(seconds=5)
    assert "+" not in doc["modified"] and "T" not in doc["modified"]


def test_the_site_time_zone_is_configurable():
    with ERPNextSimulator(time_zone="Europe/Ljubljana") as sim:
        answer = requests.get(f"{sim.url}/api/method/frappe.client.get_time_zone", timeout=5).json()
        assert answer == {"message": {"time_zone": "Europe/Ljubljana"}}


def test_microseconds_are_left_out_when_they_are_zero(sim, api):
    sim.set_now(datetime(2025, 1, 31, 10, 0, 0))
    assert api.update("Customer", "Jane Doe", {"tax_id": "A"})["modified"] == "2025-01-31 10:00:00"
    sim.set_now(datetime(2025, 1, 31, 10, 0, 0, 120000))
    assert api.update("Customer", "Jane Doe", {"tax_id": "B"})["modified"] == "2025-01-31 10:00:00.120000"


def test_a_frozen_clock_gives_equal_timestamps_and_advance_moves_it(sim):
    sim.set_now(datetime(2025, 3, 1, 12, 0, 0, 5))
    first = sim.insert("Customer", {"customer_name": "One"})["modified"]
    second = sim.insert("Customer", {"customer_name": "Two"})["modified"]
    sim.advance(1.5)
    third = sim.insert("Customer", {"customer_name": "Three"})["modified"]
    assert first == second == "2025-03-01 12:00:00.000005"
    assert third == "2025-03-01 12:00:01.500005"
