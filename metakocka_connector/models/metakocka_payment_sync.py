import logging

from odoo import api, fields, models

from ..services.locks import try_lock
from ..services.payment_status import PaymentStatusReader

_logger = logging.getLogger(__name__)


class MetakockaPaymentSync(models.AbstractModel):
    """Reading the payment of invoices from Metakocka: the entry points of the "Read payments now" button and
    of the scheduled action "Metakocka: read invoice payments".

    The scheduled action is active, and reads the companies that ask for it in Settings (*Read invoice payments
    from Metakocka*) and those whose button was pressed: one switch per company, where the other schedules
    of the connector have theirs, instead of a second one hidden among the scheduled actions. It is the one
    owner of commits: it commits after each company. Tests and tools call ``_process_payment_reads``, which
    does the same without committing.
    """

    _name = "metakocka.payment.sync"
    _description = "Metakocka invoice payments"

    @api.model
    def _request(self, company):
        """Read ``company``'s invoice payments soon, in the background (a button)."""
        company.sudo().metakocka_payments_requested = True
        self.env.ref("metakocka_connector.ir_cron_read_payments").sudo()._trigger()

    @api.model
    def _cron_read_payments(self):
        done, left = self._work(self.env.cr.commit)
        self.env["ir.cron"]._notify_progress(done=done, remaining=left)

    @api.model
    def _process_payment_reads(self):
        """Everything waiting, in this transaction (tests and tools); how many companies were read."""
        return self._work(lambda: None)[0]

    @api.model
    def _work(self, commit):
        """Read each company in turn; (companies read, bills left for the next call)."""
        companies = self.env["res.company"].sudo().search([
            ("metakocka_enabled", "=", True),
            "|", ("metakocka_payment_read", "=", True), ("metakocka_payments_requested", "=", True)])
        done = left = 0
        for company in companies:
            left += self._read_company(company)
            done += 1
            commit()
        return done, left

    @api.model
    def _read_company(self, company):
        """Read one company (one worker at a time); logs what happened; how many bills wait for the next call."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]), su=True)
        company = company.with_env(env)
        if not try_lock(env, "payments", company.id):
            return 0
        requested = company.metakocka_payments_requested
        try:
            with env.cr.savepoint():
                result = PaymentStatusReader(env, company).read()
        except Exception as exc:  # noqa: BLE001 - logged; the next company is still read
            _logger.info("Reading Metakocka payments of %s failed: %s", company.name, exc)
            self._log(company, "error", env._("Reading invoice payments from Metakocka stopped: %(error)s", error=exc))
            return 0
        if result.eventful or requested:
            self._log(company, "error" if result.failed else "success",
                      env._("Invoice payments read from Metakocka: %(summary)s.", summary=result.summary(env)))
        company.write({"metakocka_payments_requested": bool(requested and result.left),
                       "metakocka_payments_read_at": fields.Datetime.now()})
        return result.left

    @api.model
    def _log(self, company, status, message):
        self.env["metakocka.sync.log"]._record(None, company_id=company.id, direction="pull", operation="payment",
                                               status=status, message=message)


class MetakockaSyncLog(models.Model):
    _inherit = "metakocka.sync.log"

    operation = fields.Selection(selection_add=[("payment", "Payment")], ondelete={"payment": "cascade"})
