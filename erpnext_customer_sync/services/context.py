"""What one sync step works with: the company, its client, lookups, settings, and the log lines it
writes in one batch."""

import logging

from odoo import fields

from .lookups import OdooLookups

_logger = logging.getLogger(__name__)

#: Our own writes: no chatter, no tracking, and not taken for a user's change to send back.
SYNC_CONTEXT = {
    "erpnext_sync": True,
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "active_test": False,
}


class SyncContext:
    def __init__(self, env, company, client, *, run=None):
        self.env = env(su=True, context=dict(env.context, allowed_company_ids=[company.id], **SYNC_CONTEXT))
        self.company = company.with_env(self.env)
        self.client = client
        self.run = run
        self.user = run.user_id if run else env.user
        self.direction = company.erpnext_direction
        self.policy = company.erpnext_conflict_policy
        self.erpnext_company = (company.erpnext_company or "").strip() or None
        self.time_zone = company.erpnext_site_timezone or "UTC"
        self.lookups = OdooLookups(self.env, company)
        self._erpnext_countries = None
        self._erpnext_terms = None
        self._logs = []
        #: The pusher of a push run, kept from one contact to the next (its API user, its lookups).
        self.pusher = None

    @property
    def both_ways(self):
        return self.direction == "both"

    @property
    def erpnext_countries(self):
        """{ERPNext country name: ISO code}, read once."""
        if self._erpnext_countries is None:
            self._erpnext_countries = self.client.countries()
        return self._erpnext_countries

    @property
    def erpnext_country_by_code(self):
        return {code.upper(): name for name, code in self.erpnext_countries.items() if code}

    @property
    def erpnext_payment_terms(self):
        if self._erpnext_terms is None:
            self._erpnext_terms = self.client.payment_terms_templates()
        return self._erpnext_terms

    @property
    def Link(self):
        return self.env["erpnext.customer.link"]

    @property
    def Partner(self):
        return self.env["res.partner"]

    def log(self, direction, operation, status, *, partner=None, erpnext_id=None, changes=None, message=None,
            partner_name=None):
        self._logs.append({
            "company_id": self.company.id,
            "run_id": self.run.id if self.run else False,
            "user_id": self.user.id,
            "direction": direction,
            "operation": operation,
            "status": status,
            "partner_id": partner.id if partner else False,
            "partner_name": partner_name or (partner.display_name if partner else False),
            "erpnext_id": erpnext_id or False,
            "changes": changes or False,
            "message": message or False,
        })

    def flush_logs(self):
        if self._logs:
            self.env["erpnext.sync.log"].create(self._logs)
            self._logs = []

    @staticmethod
    def now():
        return fields.Datetime.now()
