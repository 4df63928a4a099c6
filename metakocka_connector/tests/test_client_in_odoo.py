"""The addon's Metakocka client, used from inside Odoo against the simulator."""

from odoo.tests import tagged

from odoo.addons.metakocka_connector.metakocka_api import (
    MetakockaClient,
    RetryPolicy,
    UnknownOutcomeError,
    ValidationError,
)

from .common import SIM_COMPANY_ID, SIM_SECRET_KEY, MetakockaSimulatorCase

FAST_RETRY = RetryPolicy(attempts=4, initial_delay=0.02, max_delay=0.2, jitter=0.01, total_time=5)


@tagged("post_install", "-at_install")
class TestClientInOdoo(MetakockaSimulatorCase):
    def setUp(self):
        super().setUp()
        self.client = MetakockaClient(self.simulator.url, SIM_COMPANY_ID, SIM_SECRET_KEY,
                                      retry=FAST_RETRY, timeout=(2, 5))
        self.addCleanup(self.client.close)
        self.client.product_add({"count_code": "ODOO-T1", "code": "ODOO-T1", "name": "Odoo test product",
                                 "unit": "kos"})
        partner = self.client.add_partner({"customer": "Odoo Test d.o.o.", "street": "Dunajska 1",
                                           "post_number": "1000", "place": "Ljubljana", "country": "SI"})
        self.partner_ref = {"mk_id": partner["mk_id"], "mk_address_id": partner["mk_address_id_list"][0]["mk_id"]}

    def order(self, buyer_order):
        return {
            "doc_type": "sales_order", "doc_date": "15.01.2026", "buyer_order": buyer_order,
            "partner": self.partner_ref,
            "product_list": [{"code": "ODOO-T1", "amount": "3", "price": "12.50", "tax": "EX4"}],
        }

    def test_a_sales_order_round_trip_through_odoo_s_http_guard(self):
        created = self.client.put_document(self.order("S00001"))
        document = self.client.get_document("sales_order", created["mk_id"])
        self.assertEqual(document["buyer_order"], "S00001")
        self.assertEqual(document["sum_basic"], "37.50")
        self.assertEqual(document["sum_all"], "45.75")

    def test_transient_faults_are_retried_inside_odoo(self):
        self.simulator.add_fault("http_error", status=503, times=2, ops=["put_document"])
        with self.assertLogs("odoo.addons.metakocka_connector.metakocka_api.retry", "WARNING") as logs:
            self.client.put_document(self.order("S00002"))
        self.assertEqual(len(logs.records), 2)
        self.assertEqual(self.simulator.count("put_document"), 3)
        self.assertEqual(len(self.simulator.documents("sales_order")), 1)
        for record in logs.records:
            self.assertNotIn(SIM_SECRET_KEY, record.getMessage())

    def test_a_lost_reply_is_an_unknown_outcome_and_the_order_is_found_again(self):
        self.simulator.add_fault("lost_reply", ops=["put_document"])
        with self.assertRaises(UnknownOutcomeError):
            self.client.put_document(self.order("S00003"))
        self.assertEqual(self.simulator.count("put_document"), 1)
        self.assertEqual(self.client.find_sales_order("S00003")["buyer_order"], "S00003")
        self.assertEqual(len(self.simulator.documents("sales_order")), 1)

    def test_a_refused_document_names_the_problem(self):
        body = self.order("S00004")
        body["product_list"][0]["code"] = "MISSING-CODE"
        with self.assertRaises(ValidationError) as caught:
            self.client.put_document(body)
        self.assertIn("MISSING-CODE", str(caught.exception))
        self.assertEqual(self.simulator.count("put_document"), 1)
