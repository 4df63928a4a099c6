"""Per Metakocka company: one search at a time, at most two requests in flight, one shared client."""

import threading

from metakocka_api import get_client


def run_together(calls):
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_searches_of_one_company_run_one_at_a_time(client, sim):
    sim.add_fault("latency", seconds=0.4, times=None, ops=["search"])

    run_together([lambda: client.search("sales_order")] * 2)

    first, second = sorted(req.received_at for req in sim.requests if req.op == "search")
    # Without the client's lock both would arrive together; with it, the second waits for the first.
    assert (second - first).total_seconds() >= 0.35


def test_at_most_two_requests_are_in_flight_per_company(client, sim):
    sim.add_fault("latency", seconds=0.4, times=None, ops=["warehouse_list"])

    run_together([client.warehouse_list] * 4)

    arrivals = sorted(req.received_at for req in sim.requests if req.op == "warehouse_list")
    assert len(arrivals) == 4
    # Two go at once; the third waits until one of them is answered.
    assert (arrivals[1] - arrivals[0]).total_seconds() < 0.35
    assert (arrivals[2] - arrivals[0]).total_seconds() >= 0.35


def test_one_shared_client_per_company_renewed_when_the_key_changes(sim):
    first = get_client(sim.url, "1000", "sandbox-secret")
    assert get_client(sim.url, "1000", "sandbox-secret") is first
    renewed = get_client(sim.url, "1000", "another-secret")
    assert renewed is not first
    assert get_client(sim.url, "1001", "another-secret") is not renewed
    renewed.close()
