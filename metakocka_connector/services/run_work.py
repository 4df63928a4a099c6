"""The work of one item of a bulk run: push a record or import a Metakocka document."""

from .document_import import DocumentImporter
from .document_push import DocumentPusher
from .outcome import Outcome


class RunWork:
    """Does the items of one run as the run's user, within the run's company (with the sync's rights).

    Reuse one per run within a batch: the client is made once, and the links of the batch's records,
    partners and products are read once (``prefetch``), whatever the commits between items.
    """

    def __init__(self, run):
        self.env = run.env(user=run.user_id.id or run.env.uid, su=True, context=dict(
            run.env.context, allowed_company_ids=[run.company_id.id]))
        self.operation = run.operation
        company = run.company_id.with_env(self.env)
        self._pusher = DocumentPusher(self.env, company) if run.operation == "push" else None
        self._importer = DocumentImporter(self.env, company) if run.operation == "import" else None

    def prefetch(self, items):
        """Read the links of the records, partners and products ``items`` will push, in a few queries."""
        if self._pusher:
            for model, model_items in items.grouped("res_model").items():
                self._pusher.prefetch(self.env[model].browse(model_items.mapped("res_id")).exists())

    def __call__(self, item):
        """The :class:`~.outcome.Outcome` of ``item``; raises only what Metakocka did not cause."""
        item = item.with_env(self.env)
        if self._importer:
            return self._importer.import_document(item.mk_doc_type, item.mk_id)
        record = self.env[item.res_model].browse(item.res_id).exists()
        if not record:
            return Outcome("failed", self.env._("The record no longer exists."))
        return self._pusher.push(record)
