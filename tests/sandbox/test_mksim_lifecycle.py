"""The Python contract, persistence, the command line, and keeping the secret out of logs."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import requests

from sandbox.metakocka import MetakockaSimulator

ROOT = Path(__file__).resolve().parents[2]


def post(sim, op_path, **body):
    return requests.post(sim.url + op_path, json=body, timeout=5).json()


def order(company_id="1000", secret_key="sandbox-secret", **extra):
    return {"secret_key": secret_key, "company_id": company_id, "doc_type": "sales_order", "doc_date": "01.03.2026",
            "partner": {"mk_id": "1600000201", "mk_address_id": "1600000202"},
            "product_list": [{"code": "TERMOS", "amount": "1", "price": "16.39", "tax": "EX4"}], **extra}


def test_the_python_contract():
    sim = MetakockaSimulator(host="127.0.0.1", port=0, company_id=2000, secret_key="other-secret", seed=True)
    assert sim.start() is sim
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sim.url) and sim.url.endswith(str(sim.port))
        assert post(sim, "/rest/eshop/v1/put_document", **order())["opr_code"] == "3"
        placed = post(sim, "/rest/eshop/v1/put_document", **order(company_id=2000, secret_key="other-secret"))
        assert placed["opr_code"] == "0"
        [first, second] = sim.requests
        assert (second.method, second.path, second.op, second.fault) == (
            "POST", "/rest/eshop/v1/put_document", "put_document", None)
        assert second.body["secret_key"] == "other-secret"  # the test-side view keeps the body as sent
        assert isinstance(second.received_at, datetime) and second.received_at >= first.received_at
        assert sim.count("put_document") == 2 and sim.count("search") == 0
        [document] = sim.documents("sales_order")
        assert document["mk_id"] == placed["mk_id"] and document["product_list"][0]["mk_row_id"]
        fault_id = sim.add_fault("http_error", status=503, times=2, ops=["put_document"])
        assert isinstance(fault_id, str)
        sim.clear_requests()
        assert sim.requests == []
        sim.reset()
        assert sim.documents("sales_order") == [] and sim.list_faults() == []
        url = sim.url
    finally:
        sim.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url + "/rest/eshop/v1/json/warehouse_list", json=order(), timeout=1)


def test_a_context_manager_and_a_stop_that_cuts_keep_alive_connections():
    with MetakockaSimulator() as sim:
        session = requests.Session()
        assert session.post(sim.url + "/rest/eshop/v1/json/warehouse_list", json=order(), timeout=5).ok
        url = sim.url
    with pytest.raises(requests.ConnectionError):
        session.post(url + "/rest/eshop/v1/json/warehouse_list", json=order(), timeout=2)


def test_without_seed_data_the_registers_still_work():
    with MetakockaSimulator(seed=False) as sim:
        assert post(sim, "/rest/eshop/v1/json/product_list", **order())["product_list_count"] == "0"
        assert post(sim, "/rest/eshop/v1/json/warehouse_list", **order())["warehouse_list_count"] == "2"
        added = post(sim, "/rest/eshop/v1/json/product_add", **order(code="A", name="A", unit="kos"))
        assert added["count_code"] == "PA-1001"


def test_set_now_needs_an_aware_datetime(sim):
    with pytest.raises(ValueError):
        sim.set_now(datetime(2026, 1, 1))


def test_state_survives_a_restart(tmp_path):
    state_file = tmp_path / "metakocka.sqlite"
    with MetakockaSimulator(state_file=state_file) as sim:
        first = post(sim, "/rest/eshop/v1/put_document", **order(buyer_order="KEEP-1"))
        post(sim, "/rest/eshop/v1/json/product_add", **order(code="NEW", name="New", unit="kos"))
    with MetakockaSimulator(state_file=state_file, api_user_email="ops@sandbox.example") as sim:
        assert [d["buyer_order"] for d in sim.documents("sales_order")] == ["KEEP-1"]
        second = post(sim, "/rest/eshop/v1/put_document", **order())
        assert second["count_code"] == "PP-2" and int(second["mk_id"]) > int(first["mk_id"])
        assert post(sim, "/rest/eshop/v1/json/product_list", **order(code="NEW"))["product_list_count"] == "1"
        synced = post(sim, "/rest/eshop/sync_stock", **order(api_user_email="ops@sandbox.example"))
        assert synced["opr_code"] == "0"
        sim.reset()
    with MetakockaSimulator(state_file=state_file) as sim:
        assert sim.documents("sales_order") == []
    assert b"sandbox-secret" not in state_file.read_bytes()


def test_the_secret_never_reaches_the_logs(sim, caplog, order_body):
    with caplog.at_level(logging.DEBUG, logger="sandbox"):
        requests.post(sim.url + "/rest/eshop/v1/put_document", timeout=5,
                      json={"secret_key": "sandbox-secret", "company_id": "1000", **order_body()})
        sim.add_fault("lost_reply")
        with pytest.raises(requests.ConnectionError):
            requests.post(sim.url + "/rest/eshop/v1/json/warehouse_list", json={"secret_key": "sandbox-secret"},
                          timeout=5)
    assert "put_document" in caplog.text and "lost_reply" in caplog.text
    assert "sandbox-secret" not in caplog.text


def test_the_command_line(tmp_path):
    secret = "cli-secret-4711"
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.metakocka", "--port", "0", "--secret-key", secret, "--company-id", "77",
         "--state-file", str(tmp_path / "cli.sqlite"), "--fault", "rate_limit:times=1,ops=warehouse_list"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        assert "company_id 77" in line and secret not in line
        body = {"secret_key": secret, "company_id": "77"}
        assert requests.post(url + "/rest/eshop/v1/json/warehouse_list", json=body, timeout=5).json()["opr_code"] == "5"
        assert requests.post(url + "/rest/eshop/v1/json/warehouse_list", json=body, timeout=5).json()["opr_code"] == "0"
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "/rest/eshop/v1/json/warehouse_list" in stderr
    assert secret not in stdout + stderr


def test_the_command_line_refuses_a_bad_fault():
    result = subprocess.run([sys.executable, "-m", "sandbox.metakocka", "--port", "0", "--fault", "latency"],
                            cwd=ROOT, capture_output=True, text=True, timeout=20)
    assert result.returncode == 2 and "needs the parameter 'seconds'" in result.stderr
