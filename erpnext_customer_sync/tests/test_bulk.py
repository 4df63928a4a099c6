"""5,000 customers with contacts and addresses: one pull creates them, a second writes nothing, ten
changed are updated alone, and a partner changed in Odoo reaches ERPNext."""

import logging
import time

from odoo.tests import tagged

from .common import ERPNextCase

_logger = logging.getLogger(__name__)

COUNT = 5000


@tagged("post_install", "-at_install")
class TestBulk(ERPNextCase):
    simulator_options = {"sample_customers": False}

    def test_5000_customers_pulled_then_repulled_with_zero_writes(self):
        names = self.simulator.seed_customers(COUNT, seed=7)

        started = time.monotonic()
        first = self.pull()
        first_seconds = time.monotonic() - started
        self.assertEqual(self.counts(first), {"processed": COUNT, "created": COUNT, "updated": 0, "unchanged": 0,
                                              "failed": 0, "archived": 0, "conflicts": 0}, first.message)
        links = self.Link.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(links), COUNT)
        self.assertEqual(set(links.mapped("erpnext_id")), set(names))

        partners = self.row_versions("res_partner")
        link_rows = self.row_versions("erpnext_customer_link")
        log_count = self.Log.search_count([])
        started = time.monotonic()
        second = self.pull()
        second_seconds = time.monotonic() - started
        self.assertEqual(second.created_count + second.updated_count + second.failed_count, 0)
        self.assertEqual(second.unchanged_count, second.processed_count)
        self.assertEqual(self.row_versions("res_partner"), partners)
        self.assertEqual(self.row_versions("erpnext_customer_link"), link_rows)
        self.assertEqual(self.Log.search_count([]), log_count)
        _logger.info("pulled %s customers in %.1f s, re-pulled (%s read again) in %.1f s", COUNT, first_seconds,
                     second.processed_count, second_seconds)

        # Ten customers change in ERPNext: exactly those ten partners are written.
        changed = names[100:5000:490]
        self.assertEqual(len(changed), 10)
        for index, name in enumerate(changed):
            self.simulator.touch("Customer", name, {"customer_details": f"Changed in ERPNext #{index}"})
        partners = self.row_versions("res_partner")
        third = self.pull()
        self.assertEqual((third.updated_count, third.created_count, third.failed_count), (10, 0, 0))
        after = self.row_versions("res_partner")
        written = {partner_id for partner_id, version in partners.items() if after.get(partner_id) != version}
        self.assertEqual(written, set(self.Link.search([("erpnext_id", "in", changed)]).partner_id.ids))
        self.assertIn("Changed in ERPNext #3", self.partner(changed[3]).comment)

        # A partner changed in Odoo reaches the Customer, its Contact and its Address.
        self.both_ways()
        partner = self.partner(names[42])
        partner.write({"vat": "SI99999999", "email": "new.address@example.com", "street": "Nova ulica 7",
                       "city": "Koper", "zip": "6000"})
        pushed = self.push()
        self.assertEqual((pushed.updated_count, pushed.failed_count), (1, 0), pushed.message)
        self.assertEqual(self.simulator.customer(names[42])["tax_id"], "SI99999999")
        self.assertEqual(self.simulator.customer(names[42])["email_id"], "new.address@example.com")
        self.assertEqual(self.remote_contact(names[42])["email_id"], "new.address@example.com")
        address = self.remote_address(names[42])
        self.assertEqual((address["address_line1"], address["city"], address["pincode"]),
                         ("Nova ulica 7", "Koper", "6000"))
