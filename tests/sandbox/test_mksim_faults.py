"""Fault injection: every kind, times / ops / probability, and the admin endpoint."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from sandbox.core.faults import parse_fault_spec

CREDENTIALS = {"secret_key": "sandbox-secret", "company_id": "1000"}
PUT = "/rest/eshop/v1/put_document"


def put_body(order_body, buyer_order="F-1"):
    return {**CREDENTIALS, **order_body(buyer_order=buyer_order)}


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_latency_delays_then_processes(sim, mk):
    sim.add_fault("latency", seconds=0.3, ops=["warehouse_list"])
    answer, elapsed = timed(lambda: mk.ok("warehouse_list"))
    assert elapsed >= 0.3 and answer["warehouse_list_count"] == "2"
    _, elapsed = timed(lambda: mk.ok("warehouse_list"))
    assert elapsed < 0.2  # times defaults to 1
    assert [r.fault for r in sim.requests] == ["latency", None]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_http_error_answers_html_and_processes_nothing(sim, mk, order_body, status):
    sim.add_fault("http_error", status=status, times=2, ops=["put_document"])
    for _ in range(2):
        response = mk.post(PUT, put_body(order_body))
        assert response.status_code == status
        assert response.headers["Content-Type"].startswith("text/html")
    assert mk.ok("product_list", code="KAVA-500")["product_list_count"] == "1"  # other ops are not hit
    assert sim.documents("sales_order") == []
    assert mk.post(PUT, put_body(order_body)).json()["opr_code"] == "0"
    assert len(sim.documents("sales_order")) == 1
    assert [(r.op, r.fault) for r in sim.requests] == [
        ("put_document", "http_error"), ("put_document", "http_error"), ("product_list", None), ("put_document", None)]


def test_http_error_statuses_are_limited(sim):
    with pytest.raises(ValueError):
        sim.add_fault("http_error", status=404)
    with pytest.raises(ValueError):
        sim.add_fault("teleport")
    with pytest.raises(ValueError):
        sim.add_fault("latency")  # needs seconds
    with pytest.raises(ValueError):
        sim.add_fault("drop", colour="red")


def test_hold_lets_the_client_time_out_but_the_write_happens(sim, mk, order_body):
    sim.add_fault("hold", seconds=0.5, ops=["put_document"])
    with pytest.raises(requests.ReadTimeout):
        mk.post(PUT, put_body(order_body, "HOLD-1"), timeout=(2, 0.15))
    deadline = time.monotonic() + 3
    while not sim.documents("sales_order") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [d["buyer_order"] for d in sim.documents("sales_order")] == ["HOLD-1"]


@pytest.mark.parametrize("kind, written", [("drop", False), ("lost_reply", True)])
def test_connection_closed_without_a_reply_on_a_keep_alive_connection(sim, mk, order_body, kind, written):
    assert mk.ok("warehouse_list")  # opens the keep-alive connection the next call reuses
    sim.add_fault(kind, ops=["put_document"])
    with pytest.raises(requests.ConnectionError):
        mk.post(PUT, put_body(order_body, "LOST-1"))
    assert len(sim.documents("sales_order")) == (1 if written else 0)
    assert mk.post(PUT, put_body(order_body, "LOST-2")).json()["opr_code"] == "0"  # the session recovers
    if written:
        assert mk.ok("get_document", doc_type="sales_order", buyer_order="LOST-1")["buyer_order"] == "LOST-1"


@pytest.mark.parametrize("kind", ["drop", "lost_reply"])
def test_connection_closed_without_a_reply_on_a_fresh_connection(sim, order_body, kind):
    sim.add_fault(kind)
    with pytest.raises(requests.ConnectionError):
        requests.post(sim.url + PUT, json=put_body(order_body), timeout=5)


def test_rate_limit_is_metakockas_opr_code_5(sim, mk, order_body):
    sim.add_fault("rate_limit", ops=["put_document"])
    response = mk.post(PUT, put_body(order_body))
    assert response.status_code == 200
    answer = response.json()
    assert answer["opr_code"] == "5" and answer["opr_desc"].startswith("Quote exceeds") and "opr_time_ms" in answer
    assert sim.documents("sales_order") == []


@pytest.mark.parametrize("params, status", [({}, 503), ({"status": 502}, 502), ({"status": 200}, 200)])
def test_maintenance_is_an_html_page(sim, mk, params, status):
    sim.add_fault("maintenance", **params)
    response = mk.post("/rest/eshop/v1/json/warehouse_list", CREDENTIALS)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html") and "maintenance" in response.text
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("kind", ["maintenance", "http_error"])
def test_retry_after_is_optional(sim, mk, kind):
    sim.add_fault(kind, status=503, retry_after=7)
    assert mk.post("/rest/eshop/v1/json/warehouse_list", CREDENTIALS).headers["Retry-After"] == "7"


def test_times_none_lasts_until_cleared(sim, mk):
    sim.add_fault("rate_limit", times=None)
    assert [mk.call("warehouse_list")["opr_code"] for _ in range(3)] == ["5", "5", "5"]
    sim.clear_faults()
    assert mk.call("warehouse_list")["opr_code"] == "0"


def test_probability_with_a_seed_is_reproducible(sim, mk):
    def pattern():
        sim.clear_faults()
        sim.add_fault("rate_limit", probability=0.5, times=None, seed=7)
        return [mk.call("warehouse_list")["opr_code"] == "5" for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert 0 < sum(first) < 20
    sim.clear_faults()
    sim.add_fault("rate_limit", probability=0.0, times=None)
    assert mk.call("warehouse_list")["opr_code"] == "0"


def test_faults_apply_in_order_and_are_used_up(sim, mk):
    sim.add_fault("rate_limit", times=1)
    sim.add_fault("http_error", status=502, times=1)
    assert mk.call("warehouse_list")["opr_code"] == "5"
    assert mk.post("/rest/eshop/v1/json/warehouse_list", CREDENTIALS).status_code == 502
    assert mk.call("warehouse_list")["opr_code"] == "0"
    assert sim.list_faults() == []


def test_unknown_paths_are_not_hit_by_faults(sim, mk):
    sim.add_fault("rate_limit")
    assert mk.post("/rest/eshop/v1/nope", CREDENTIALS).status_code == 404
    assert mk.call("warehouse_list")["opr_code"] == "5"


# --- admin endpoint --------------------------------------------------------------------------


def test_admin_fault_endpoints(sim, mk):
    admin = sim.url + "/_sandbox/faults"
    created = requests.post(admin, json={"kind": "http_error", "status": 502, "times": 1, "ops": ["search"]}, timeout=5)
    assert created.status_code == 200 and created.json()["id"]
    [listed] = requests.get(admin, timeout=5).json()
    assert (listed["id"], listed["kind"], listed["status"], listed["times"], listed["ops"]) == (
        created.json()["id"], "http_error", 502, 1, ["search"])
    assert mk.post("/rest/eshop/v1/search", {**CREDENTIALS, "doc_type": "sales_order"}).status_code == 502
    assert requests.get(admin, timeout=5).json() == []
    requests.post(admin, json={"kind": "rate_limit", "times": None, "probability": 0.5, "seed": 3}, timeout=5)
    assert requests.get(admin, timeout=5).json()[0]["times"] is None
    assert requests.delete(admin, timeout=5).json() == {"status": "ok"}
    assert sim.list_faults() == []
    bad = requests.post(admin, json={"kind": "explode"}, timeout=5)
    assert bad.status_code == 400 and "unknown fault kind" in bad.json()["error"]
    assert requests.post(admin, data=b"{oops", timeout=5).status_code == 400
    assert requests.get(sim.url + "/_sandbox/nothing", timeout=5).status_code == 404


def test_admin_requests_documents_and_reset(sim, mk, put_order):
    put_order()
    mk.call("warehouse_list")
    admin = sim.url + "/_sandbox"
    listed = requests.get(f"{admin}/requests", timeout=5).json()
    assert [(r["method"], r["path"], r["op"], r["fault"]) for r in listed] == [
        ("POST", PUT, "put_document", None), ("POST", "/rest/eshop/v1/json/warehouse_list", "warehouse_list", None)]
    assert "secret_key" not in listed[0]["body"] and listed[0]["body"]["buyer_order"] == "WEB-1001"
    assert listed[0]["received_at"].endswith("+00:00")
    assert len(requests.get(f"{admin}/requests", params={"op": "warehouse_list"}, timeout=5).json()) == 1
    documents = requests.get(f"{admin}/documents", params={"doc_type": "sales_order"}, timeout=5).json()
    assert [d["count_code"] for d in documents] == ["PP-1"]
    assert sim.count("put_document") == 1  # admin calls are not recorded
    assert requests.delete(f"{admin}/requests", timeout=5).json() == {"status": "ok"}
    assert sim.requests == []
    sim.add_fault("drop")
    assert requests.post(f"{admin}/reset", timeout=5).json() == {"status": "ok"}
    assert sim.documents("sales_order") == [] and sim.list_faults() == []


# --- faults narrowed to one document, and requests in flight ---------------------------------


def test_match_limits_a_fault_to_requests_naming_one_document(sim, mk, order_body):
    sim.add_fault("rate_limit", times=None, ops=["put_document"], match="ONLY-THIS")
    assert mk.post(PUT, put_body(order_body, "OTHER-1")).json()["opr_code"] == "0"
    assert mk.post(PUT, put_body(order_body, "ONLY-THIS")).json()["opr_code"] == "5"
    assert [d["buyer_order"] for d in sim.documents("sales_order")] == ["OTHER-1"]


def test_after_wakes_a_fault_once_its_operation_was_served(sim, mk, order_body, put_order):
    sim.add_fault("http_error", status=502, ops=["get_document"], after="put_document", match="AFTER-1")
    get_body = {**CREDENTIALS, "doc_type": "sales_order", "buyer_order": "AFTER-1"}
    assert mk.post("/rest/eshop/v1/get_document", get_body).json()["opr_code"] != "0"  # asleep: not found
    assert sim.list_faults()[0]["awake"] is False
    put_order(buyer_order="OTHER-2")  # another document does not wake it
    assert sim.list_faults()[0]["awake"] is False
    put_order(buyer_order="AFTER-1")
    assert mk.post("/rest/eshop/v1/get_document", get_body).status_code == 502
    assert mk.ok("get_document", doc_type="sales_order", buyer_order="AFTER-1")["buyer_order"] == "AFTER-1"


def test_a_refused_request_does_not_wake_an_after_fault(sim, mk, order_body):
    sim.add_fault("rate_limit", ops=["put_document"])
    sim.add_fault("drop", ops=["warehouse_list"], after="put_document")
    assert mk.post(PUT, put_body(order_body, "R-1")).json()["opr_code"] == "5"
    assert mk.ok("warehouse_list")  # the put was not served, the drop still sleeps


def test_match_and_after_must_be_text(sim):
    with pytest.raises(ValueError):
        sim.add_fault("drop", match="")
    with pytest.raises(ValueError):
        sim.add_fault("drop", after=5)


def test_in_flight_lists_a_held_request_until_it_is_answered(sim, mk, order_body):
    sim.add_fault("hold", seconds=0.6, ops=["put_document"])
    admin = sim.url + "/_sandbox/in_flight"
    with ThreadPoolExecutor(1) as pool:
        reply = pool.submit(mk.post, PUT, put_body(order_body, "FLIGHT-1"))
        deadline = time.monotonic() + 3
        while not sim.in_flight("put_document") and time.monotonic() < deadline:
            time.sleep(0.02)
        [held] = requests.get(admin, params={"op": "put_document"}, timeout=5).json()
        assert (held["op"], held["fault"], held["body"]["buyer_order"]) == ("put_document", "hold", "FLIGHT-1")
        assert "secret_key" not in held["body"]
        assert requests.get(admin, params={"op": "search"}, timeout=5).json() == []
        assert reply.result().json()["opr_code"] == "0"
    assert requests.get(admin, timeout=5).json() == []


def test_command_line_fault_options_keep_match_and_after_as_text():
    assert parse_fault_spec("drop:ops=get_document|search,match=1001,after=put_document,times=none") == {
        "kind": "drop", "ops": ["get_document", "search"], "match": "1001", "after": "put_document", "times": None}
