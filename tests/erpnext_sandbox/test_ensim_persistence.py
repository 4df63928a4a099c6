"""With a state file, the ERPNext simulator keeps its documents across a restart (for the demo)."""

import requests

from sandbox.erpnext import ERPNextSimulator

AUTH = {"Authorization": "token sandbox-key:sandbox-secret"}


def test_documents_written_through_the_api_survive_a_restart(tmp_path):
    state = tmp_path / "erpnext.sqlite"
    with ERPNextSimulator(seed_customers=20, state_file=state) as sim:
        created = requests.post(f"{sim.url}/api/resource/Customer", headers=AUTH, timeout=5,
                                json={"customer_name": "Persisted d.o.o.", "customer_type": "Company"})
        assert created.status_code == 200
        before = {customer["name"] for customer in sim.docs("Customer")}

    with ERPNextSimulator(seed_customers=20, state_file=state) as sim:
        after = {customer["name"] for customer in sim.docs("Customer")}
        assert after == before
        assert "Persisted d.o.o." in after
        # Naming goes on from where it stopped: a second one is "Name - 1", not a clash.
        again = requests.post(f"{sim.url}/api/resource/Customer", headers=AUTH, timeout=5,
                              json={"customer_name": "Persisted d.o.o.", "customer_type": "Company"})
        assert again.json()["data"]["name"] == "Persisted d.o.o. - 1"


def test_without_a_state_file_every_start_is_fresh(tmp_path):
    with ERPNextSimulator(seed_customers=5) as sim:
        requests.post(f"{sim.url}/api/resource/Customer", headers=AUTH, timeout=5,
                      json={"customer_name": "Gone GmbH", "customer_type": "Company"})
    with ERPNextSimulator(seed_customers=5) as sim:
        assert "Gone GmbH" not in {customer["name"] for customer in sim.docs("Customer")}
    assert list(tmp_path.iterdir()) == []
