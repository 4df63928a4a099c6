from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .metakocka_link_mixin import SYNC_STATES
from .metakocka_synced_mixin import _notification

USER_GROUP = "metakocka_connector.group_metakocka_user"


class MetakockaLinkedMixin(models.AbstractModel):
    """The current company's Metakocka link of a contact or product, on its form and in its lists.

    The concrete model defines ``metakocka_link_ids`` (the One2many to its links). The link is read with
    sudo, and only the current company's: anyone who may read the record reads its Metakocka id and
    number without access to the links; the state, time and error are for Metakocka users. The filters
    "Linked to Metakocka" and "Metakocka error" search the current company's links in SQL.
    """

    _name = "metakocka.linked.mixin"
    _description = "Linked to Metakocka"

    metakocka_mk_id = fields.Char("Metakocka id", compute="_compute_metakocka_link")
    metakocka_count_code = fields.Char("Metakocka number", compute="_compute_metakocka_link")
    metakocka_link_state = fields.Selection(
        SYNC_STATES, string="Metakocka status", compute="_compute_metakocka_link",
        search="_search_metakocka_link_state", groups=USER_GROUP)
    metakocka_last_sync_at = fields.Datetime("Last Metakocka sync", compute="_compute_metakocka_link",
                                             groups=USER_GROUP)
    metakocka_last_error = fields.Text("Metakocka error", compute="_compute_metakocka_link", groups=USER_GROUP)
    metakocka_linked = fields.Boolean("Linked to Metakocka", compute="_compute_metakocka_link",
                                      search="_search_metakocka_linked", groups=USER_GROUP)

    @api.depends_context("company")
    @api.depends("metakocka_link_ids.mk_id", "metakocka_link_ids.count_code", "metakocka_link_ids.state",
                 "metakocka_link_ids.last_sync_at", "metakocka_link_ids.last_error")
    def _compute_metakocka_link(self):
        for record in self:
            link = record._metakocka_link()
            record.metakocka_mk_id = link.mk_id
            record.metakocka_count_code = link.count_code
            record.metakocka_link_state = link.state or "not_synced"
            record.metakocka_last_sync_at = link.last_sync_at
            record.metakocka_last_error = link.last_error
            record.metakocka_linked = bool(link.mk_id)

    def _metakocka_link(self):
        """The current company's link (sudo), or an empty one."""
        self.ensure_one()
        company = self.env.company
        return self.sudo().metakocka_link_ids.filtered(lambda link: link.company_id == company)[:1]

    def _metakocka_links_query(self, condition):
        field = self._fields["metakocka_link_ids"]
        table = self.env[field.comodel_name]._table
        return SQL("(SELECT %s FROM %s WHERE company_id = %s AND %s)", SQL.identifier(field.inverse_name),
                   SQL.identifier(table), self.env.company.id, condition)

    def _search_metakocka_link_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the Metakocka status: %(operator)s", operator=operator))
        values = {value} if not isinstance(value, (list, tuple, set)) else set(value)
        states = tuple(state for state in values if state and state != "not_synced") or (None,)
        domain = [("id", "in", self._metakocka_links_query(SQL("state IN %s", states)))]
        if values & {False, "not_synced"}:  # no link of this company counts as "not synced"
            domain = ["|", *domain, ("id", "not in", self._metakocka_links_query(SQL("TRUE")))]
        return domain if operator in ("=", "in") else ["!", *domain]

    def _search_metakocka_linked(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on the Metakocka link: %(operator)s", operator=operator))
        linked = (operator == "=") == bool(value)
        return [("id", "in" if linked else "not in", self._metakocka_links_query(SQL("mk_id IS NOT NULL")))]

    # -- buttons ---------------------------------------------------------------------------------

    def _metakocka_company(self):
        """The current company, when it syncs with Metakocka and the user may send; else an error to act on."""
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(self.env._("Only Metakocka users may send records to Metakocka."))
        company = self.env.company
        if not company.metakocka_enabled:
            raise UserError(self.env._("Metakocka sync is off for %(company)s: switch it on in Settings → Metakocka.",
                                       company=company.name))
        return company

    def _metakocka_notify(self, outcomes):
        """A notification of what ``[(record, outcome)]`` came to."""
        failed = [outcome.message for _record, outcome in outcomes if not outcome.ok]
        if failed:
            return _notification(self.env._("Metakocka sync failed"), "\n".join(failed), "danger")
        texts = [_describe(record, outcome) for record, outcome in outcomes]
        review = any(outcome.status in ("skipped", "needs_review") for _record, outcome in outcomes)
        return _notification(self.env._("Metakocka sync"), "\n".join(texts), "warning" if review else "success")


def _describe(record, outcome):
    env = record.env
    number = (outcome.link.count_code or outcome.link.mk_id) if outcome.link else ""
    return {
        "created": env._("%(record)s added to Metakocka (%(number)s).", record=record.display_name, number=number),
        "updated": env._("%(record)s updated in Metakocka (%(number)s).", record=record.display_name, number=number),
        "unchanged": env._("%(record)s is unchanged since its last sync.", record=record.display_name),
    }.get(outcome.status, outcome.message)
