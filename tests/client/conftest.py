import pytest

from metakocka_api import MetakockaClient, RetryPolicy
from sandbox.metakocka import MetakockaSimulator

COMPANY_ID = "1000"
SECRET_KEY = "sandbox-secret"

#: Quick back-offs so that retry tests take milliseconds; the growth is what they check.
FAST_RETRY = RetryPolicy(attempts=4, initial_delay=0.02, max_delay=0.5, jitter=0.01, total_time=10)


@pytest.fixture(scope="session")
def simulator():
    with MetakockaSimulator(company_id=COMPANY_ID, secret_key=SECRET_KEY) as sim:
        yield sim


@pytest.fixture
def sim(simulator):
    """The shared simulator, back in its seeded state with no faults and no recorded requests."""
    simulator.reset()
    yield simulator
    simulator.reset()


@pytest.fixture
def make_client(sim):
    clients = []

    def make(**options):
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("timeout", (2.0, 5.0))
        client = MetakockaClient(options.pop("base_url", sim.url), options.pop("company_id", COMPANY_ID),
                                 options.pop("secret_key", SECRET_KEY), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def product(client):
    """A catalogue product of our own, so tests do not lean on the seed."""
    client.product_add({"count_code": "T-100", "code": "T-100", "name": "Test widget", "unit": "kos"})
    return "T-100"


@pytest.fixture
def partner(client):
    """A partner added through the API: (mk_id, mk_address_id)."""
    answer = client.add_partner({
        "business_entity": "true", "taxpayer": "true", "foreign_county": "false",
        "tax_id_number": "SI12345678", "customer": "Kupec d.o.o.", "street": "Slovenska cesta 1",
        "post_number": "1000", "place": "Ljubljana", "country": "SI",
        "partner_contact": {"name": "Ana Novak", "email": "ana@kupec.example"},
    })
    return answer["mk_id"], answer["mk_address_id_list"][0]["mk_id"]


@pytest.fixture
def order_body(partner, product):
    """Builds a two-line sales order: 2 × 10.00 at 22 % with 10 % off, and 1 × 5.00 at 9.5 %."""
    return lambda buyer_order="ODOO-SO-1", **head: _sales_order(partner, product, buyer_order, **head)


def _sales_order(partner, product, buyer_order, **head):
    mk_id, mk_address_id = partner
    return {
        "doc_type": "sales_order",
        "doc_date": "15.01.2026",
        "buyer_order": buyer_order,
        "partner": {"mk_id": mk_id, "mk_address_id": mk_address_id},
        "product_list": [
            {"code": product, "amount": "2", "price": "10.00", "tax": "EX4", "discount": "10"},
            {"code": product, "amount": "1", "price": "5.00", "tax_factor": "0.095"},
        ],
        **head,
    }
