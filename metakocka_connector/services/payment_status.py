"""What Metakocka knows of the payment of the invoices sent there, read incrementally into their links.

Watched are the company's posted invoices linked to a bill that Metakocka has not shown paid in full yet; a
bill once paid in full is not read again. Bills have no changed-since filter (reference §3.3: "use doc_date_*
plus payment_status"), so each read costs, per bill type watched:

1. one search of the bills **not paid in full** (``payment_status: false``, partly paid included) dated from
   the oldest watched invoice on (``doc_date_from``), as whole documents with the payment fields
   (``result_type: doc``, ``show_last_payment_date``), 100 a page: every watched bill still open is in it,
   with its paid amount, and bills long paid cost nothing;
2. a get_document of each watched bill missing from it: it became paid in full since the last read (or its
   date was moved in Metakocka, or it is gone). Each invoice costs this once in its life; at most
   ``READ_ALONE_LIMIT`` a read, the rest the next time (a first read of a long history spreads out).

Reading every watched bill alone would cost a call per open invoice at every read; a search of all bills
since the oldest would read every paid bill since then again and again.

Values are compared before anything is written: an unchanged bill costs no write. A bill that cannot be read
(a malformed value, gone from Metakocka) fails alone: its error names the invoice, the bill and the field,
and the other bills are read. Registering the new part in Odoo is ``payment_register``'s. Never commits.
"""

from dataclasses import dataclass

from odoo.tools import format_amount

from ..metakocka_api import MetakockaError, TransientError
from .connection import CompanyService
from .payment_mapper import PaymentFieldProblem, document_id, payment_status, search_date
from .payment_register import BILL_TYPES, PaymentRegistrar

#: Bills read one by one (get_document) in one read at most.
READ_ALONE_LIMIT = 100
#: The flags that add the payment fields to a bill (reference §3.2).
PAYMENT_FLAGS = {"show_last_payment_date": "true"}


@dataclass
class ReadResult:
    watched: int = 0
    changed: int = 0
    registered: int = 0
    failed: int = 0
    left: int = 0  # watched bills not reached this time

    def summary(self, env):
        text = env._("%(watched)s invoices watched, %(changed)s changed, %(registered)s payments registered, "
                     "%(failed)s failed", watched=self.watched, changed=self.changed, registered=self.registered,
                     failed=self.failed)
        if self.left:
            text += env._("; %(left)s are read the next time", left=self.left)
        return text

    @property
    def eventful(self):
        return bool(self.changed or self.registered or self.failed)


class PaymentStatusReader(CompanyService):
    """Reads the payment status of one company's invoices in Metakocka (and registers it, when asked)."""

    def read(self):
        """Read the watched invoices, then register what is new when the company asks; a :class:`ReadResult`."""
        links = self.watched_links()  # read first: this transaction's snapshot predates Metakocka's answers
        result = ReadResult(watched=len(links))
        registrar = PaymentRegistrar(self) if self.company.metakocka_payment_register else None
        if links:
            documents, result.left = self._documents(links)
            for link in links.filtered(lambda link: link.mk_id in documents):
                self._apply(link, documents[link.mk_id], result, registrar)
        if registrar:
            registrar.register_open(result)
        return result

    def watched_links(self):
        return self.env["metakocka.document.link"].sudo().search([
            ("company_id", "=", self.company.id), ("move_id", "!=", False), ("doc_type", "in", BILL_TYPES),
            ("mk_id", "!=", False), ("mk_paid_in_full", "=", False), ("move_id.state", "=", "posted"),
        ], order="id")

    def _documents(self, links):
        """{mk_id: bill document, or the error of reading it} of ``links``, and how many were not reached."""
        found = {}
        for doc_type, type_links in links.grouped("doc_type").items():
            found.update(self._search_open(doc_type, type_links))
        missing = sorted(links.filtered(lambda link: link.mk_id not in found),
                         key=lambda link: (bool(link.mk_payment_error), link.id))
        for position, link in enumerate(missing[:READ_ALONE_LIMIT]):
            try:
                found[link.mk_id] = self.client.get_document(link.doc_type, link.mk_id, **PAYMENT_FLAGS)
            except TransientError:
                return found, len(missing) - position  # Metakocka is away: the rest waits for the next read
            except MetakockaError as exc:
                found[link.mk_id] = exc
        return found, max(len(missing) - READ_ALONE_LIMIT, 0)

    def _search_open(self, doc_type, links):
        """The watched bills among those Metakocka has not seen paid in full, dated from the oldest on."""
        since = min(link.move_id.invoice_date or link.move_id.date for link in links)
        wanted = set(links.mapped("mk_id"))
        documents = self.client.iter_search(
            doc_type, result_type="doc", **PAYMENT_FLAGS,
            query_advance=[("doc_date_from", search_date(since)), ("payment_status", "false")])
        return {mk_id: document for document in documents if (mk_id := document_id(document)) in wanted}

    def _apply(self, link, document, result, registrar):
        """Store what Metakocka knows of one bill, writing only what changed."""
        try:
            if isinstance(document, Exception):
                raise document
            status = payment_status(document)
        except (PaymentFieldProblem, MetakockaError) as exc:
            return self._fail(link, exc, result)
        values = {**status.link_values(), "mk_payment_error": False}
        changed = {name: value for name, value in values.items() if not self._same(link, name, value)}
        if not changed:
            return None
        link.write(changed)
        result.changed += 1
        self._log(link, "success", self._describe(link))
        if registrar and "mk_paid_amount" in changed:
            registrar.note_decrease(link)
        return None

    @staticmethod
    def _same(link, name, value):
        if link._fields[name].type == "float":
            return link.move_id.currency_id.is_zero(link[name] - value)
        return link[name] == value

    def _fail(self, link, exc, result):
        result.failed += 1
        message = self.env._("%(invoice)s (Metakocka bill %(number)s): %(error)s", invoice=link.move_id.display_name,
                             number=link.count_code or link.mk_id, error=exc)
        if link.mk_payment_error != message:  # the same error again costs no write and no log line
            link.mk_payment_error = message
            self._log(link, "error", message)

    def _describe(self, link):
        env, currency = self.env, link.move_id.currency_id
        paid = format_amount(env, link.mk_paid_amount, currency)
        if link.mk_paid_in_full:
            return env._("Paid in full in Metakocka on %(day)s (%(paid)s paid).", day=link.mk_paid_in_full_on or "-",
                         paid=paid)
        return env._("Paid in Metakocka: %(paid)s of %(total)s (last payment %(day)s).", paid=paid,
                     total=format_amount(env, link.move_id.amount_total, currency), day=link.mk_last_paid_date or "-")

    def _log(self, link, status, message):
        self.env["metakocka.sync.log"]._record(link.move_id, company_id=self.company.id, direction="pull",
                                               operation="payment", status=status, mk_id=link.mk_id, message=message)
