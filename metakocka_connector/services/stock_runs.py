"""The work of one item of a stock run: one mapped warehouse's levels, from the stock master to the other side.

A run is queued with the direction the company's stock master gave at that moment (``stock_pull``:
Metakocka's levels into Odoo; ``stock_push``: Odoo's into Metakocka), an item per mapped warehouse, so
that its progress shows warehouse by warehouse and a warehouse that fails (a mark Metakocka lacks,
Metakocka away) can be retried alone. A warehouse is written in the item's transaction: it is in step
or left as it was.

A pull reads Metakocka's whole stock list of every mapped warehouse once per batch of items, before
anything is written: a product Metakocka lists in one warehouse is one it knows, so that its absence
from another warehouse's rows means no stock there (reading a warehouse alone would not tell).
"""

from ..metakocka_api import MetakockaError
from .outcome import Outcome
from .stock_levels import StockLevels, StockLevelsProblem, log, pull_warehouse, send_warehouse

STOCK_OPERATIONS = ("stock_pull", "stock_push")


class StockRunWork:
    """Does the items of one stock run as its user, within its company (see :class:`~.run_work.RunWork`)."""

    def __init__(self, run):
        self.env = run.env(user=run.user_id.id or run.env.uid, su=True, context=dict(
            run.env.context, allowed_company_ids=[run.company_id.id]))
        self.operation = run.operation
        self._service = StockLevels(self.env, run.company_id.with_env(self.env))
        self._targets = None

    def prefetch(self, items):
        """Nothing to read ahead: Metakocka's warehouses are read once, with the first item."""

    def __call__(self, item):
        row = self.env["metakocka.warehouse.map"].browse(item.res_id).exists()
        direction = "pull" if self.operation == "stock_pull" else "push"
        try:
            if not row:
                raise StockLevelsProblem(self.env._("%(warehouse)s is no longer mapped to a Metakocka warehouse.",
                                                    warehouse=item.record_name))
            mapped = self._service.mapped(row)
            summary = self._pull(mapped) if direction == "pull" else self._push(mapped)
        except (MetakockaError, StockLevelsProblem) as exc:
            log(self.env, self._service.company, direction, "error", str(exc))
            return Outcome("failed", str(exc))
        return Outcome(summary)

    def _pull(self, mapped):
        changed, total = pull_warehouse(self.env, self._service.company, mapped, self._metakocka_targets())
        message = self.env._("Stock levels of %(warehouse)s from the Metakocka warehouse %(mark)s: %(changed)s of "
                             "%(total)s quantities changed.", warehouse=mapped.warehouse.display_name,
                             mark=mapped.mark, changed=changed, total=total)
        log(self.env, self._service.company, "pull", "success", message)
        return self.env._("%(changed)s of %(total)s changed", changed=changed, total=total)

    def _metakocka_targets(self):
        """Metakocka's levels of every warehouse whose mark it knows (read once for the items of a batch; a
        warehouse whose mark it lacks fails in its own item)."""
        if self._targets is None:
            rows = self.env["metakocka.warehouse.map"].search([("company_id", "=", self._service.company.id)])
            warehouses = []
            for row in rows:
                try:
                    warehouses.append(self._service.mapped(row))
                except StockLevelsProblem:
                    continue
            self._targets = self._service.metakocka_targets(warehouses=warehouses)
        return self._targets

    def _push(self, mapped):
        sent, refused = send_warehouse(self._service, mapped)
        return self.env._("%(sent)s sent, %(refused)s refused", sent=sent, refused=refused)
