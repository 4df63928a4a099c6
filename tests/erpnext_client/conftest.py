"""Fixtures for the ERPNext client tests: the client (imported from its folder as ``erpnext_api``,
see tests/conftest.py) against the simulator over real HTTP."""

import pytest

from erpnext_api import ERPNextClient, RetryPolicy
from sandbox.erpnext import DEFAULT_API_KEY, DEFAULT_API_SECRET, ERPNextSimulator

#: Quick back-offs so that retry tests take milliseconds; the growth is what they check.
FAST_RETRY = RetryPolicy(attempts=4, initial_delay=0.02, max_delay=0.5, jitter=0.01, total_time=10)


@pytest.fixture(scope="session")
def simulator():
    with ERPNextSimulator(webhook_mode="manual") as sim:
        yield sim


@pytest.fixture
def sim(simulator):
    """The shared simulator, back in its initial state with no faults and no recorded requests."""
    simulator.reset()
    yield simulator
    simulator.reset()


@pytest.fixture
def make_client(sim):
    clients = []

    def make(**options):
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("timeout", (2.0, 5.0))
        client = ERPNextClient(options.pop("base_url", sim.url), options.pop("api_key", DEFAULT_API_KEY),
                               options.pop("api_secret", DEFAULT_API_SECRET), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()
