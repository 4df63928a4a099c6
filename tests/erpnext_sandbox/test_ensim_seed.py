"""Seeding thousands of customers with contacts and addresses, and the command line."""

import subprocess
import sys
import time
from pathlib import Path

from sandbox.erpnext import ERPNextSimulator, parse_timestamp

ROOT = Path(__file__).resolve().parents[2]


def test_five_thousand_customers_with_contacts_and_addresses_in_a_blink(sim, api):
    started = time.monotonic()
    names = sim.seed_customers(5000, seed=1)
    assert time.monotonic() - started < 5
    assert len(names) == len(set(names)) == 5000
    assert sim.count_docs("Customer") == 5004
    customer = api.get("Customer", names[1234])
    contact = api.get("Contact", customer["customer_primary_contact"])
    address = api.get("Address", customer["customer_primary_address"])
    assert [link["link_name"] for link in contact["links"]] == [names[1234]]
    assert [link["link_name"] for link in address["links"]] == [names[1234]]
    assert customer["email_id"] == contact["email_id"]
    stamps = [sim.customer(name)["modified"] for name in names]
    assert stamps == sorted(stamps, key=parse_timestamp)  # oldest first
    assert parse_timestamp(stamps[-1]) < sim.now()
    assert len(set(stamps)) < len(stamps)  # some share a timestamp
    assert any("." not in stamp for stamp in stamps)  # some fall on a whole second


def test_the_same_seed_gives_the_same_customers():
    with ERPNextSimulator(sample_customers=False) as first, ERPNextSimulator(sample_customers=False) as second:
        assert first.seed_customers(50, seed=9) == second.seed_customers(50, seed=9)


def test_the_command_line_starts_a_seeded_simulator():
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.erpnext", "--port", "0", "--quiet", "--seed-customers", "20",
         "--api-key", "k", "--api-secret", "s"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("ERPNext sandbox at http://127.0.0.1:")
        assert "24 customers" in line and "Asia/Kolkata" in line and "s," not in line
    finally:
        process.terminate()
        process.wait(timeout=10)
    help_text = subprocess.run([sys.executable, "-m", "sandbox.erpnext", "--help"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout
    for flag in ("--api-key", "--api-secret", "--time-zone", "--seed-customers", "--fault", "--webhook"):
        assert flag in help_text
