from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..services.connection import INTERACTIVE
from ..services.document_import import DocumentImporter
from ..services.document_push import DocumentPusher, target_doc_type
from .metakocka_link_mixin import SYNC_STATES


class MetakockaSyncedMixin(models.AbstractModel):
    """Sync status, button and log of a record sent to Metakocka as a document (orders, invoices).

    The concrete model defines ``metakocka_link_ids`` (the One2many to its document links) and
    ``_metakocka_link_column`` (the link's column that points to it).
    """

    _name = "metakocka.synced.mixin"
    _description = "Synced with Metakocka"

    # The Metakocka facts of a record are read through its own links (compute_sudo), so that anyone
    # who may read the record reads them too, without access to the link and log models.

    metakocka_state = fields.Selection(
        SYNC_STATES, string="Metakocka status", compute="_compute_metakocka_state", store=True, index=True,
        copy=False,
    )
    metakocka_mk_id = fields.Char("Metakocka id", compute="_compute_metakocka_link_fields", compute_sudo=True)
    metakocka_count_code = fields.Char("Metakocka number", compute="_compute_metakocka_link_fields", compute_sudo=True)
    metakocka_last_sync_at = fields.Datetime("Last Metakocka sync", compute="_compute_metakocka_link_fields", compute_sudo=True)
    metakocka_last_error = fields.Text("Metakocka error", compute="_compute_metakocka_link_fields", compute_sudo=True)
    metakocka_log_count = fields.Integer(compute="_compute_metakocka_log_count", compute_sudo=True)

    def _metakocka_link(self, doc_type):
        self.ensure_one()
        return self.metakocka_link_ids.filtered(lambda link: link.doc_type == doc_type)[:1]

    def _metakocka_current_link(self):
        """The link of the document type the record becomes now, else its latest link."""
        self.ensure_one()
        doc_type = target_doc_type(self)
        return (doc_type and self._metakocka_link(doc_type)) or self.metakocka_link_ids.sorted("id")[-1:]

    @api.depends("state", "metakocka_link_ids.state", "metakocka_link_ids.doc_type")
    def _compute_metakocka_state(self):
        for record in self:
            record.metakocka_state = record._metakocka_current_link().state or "not_synced"

    @api.depends("metakocka_link_ids.mk_id", "metakocka_link_ids.count_code", "metakocka_link_ids.last_sync_at",
                 "metakocka_link_ids.last_error")
    def _compute_metakocka_link_fields(self):
        for record in self:
            link = record._metakocka_current_link()
            record.metakocka_mk_id = link.mk_id
            record.metakocka_count_code = link.count_code
            record.metakocka_last_sync_at = link.last_sync_at
            record.metakocka_last_error = link.last_error

    def _compute_metakocka_log_count(self):
        counts = dict(self.env["metakocka.sync.log"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"],
        ))
        for record in self:
            record.metakocka_log_count = counts.get(record.id, 0)

    def action_metakocka_sync(self):
        """The "Sync to Metakocka" button: push now and tell the user what happened."""
        if not self.env.user.has_group("metakocka_connector.group_metakocka_user"):
            raise AccessError(self.env._("Only Metakocka users may send records to Metakocka."))
        outcomes = []
        for company, records in self.grouped("company_id").items():
            pusher = DocumentPusher(self.env, company, client_options=INTERACTIVE)
            pusher.prefetch(records)
            outcomes += [(record, pusher.push(record)) for record in records]
        failed = [(record, outcome) for record, outcome in outcomes if not outcome.ok]
        if failed:
            message = "\n".join(outcome.message for _record, outcome in failed)
            kind, title = "danger", self.env._("Metakocka sync failed")
        else:
            message = "\n".join(_describe(record, outcome) for record, outcome in outcomes)
            kind, title = "success", self.env._("Metakocka sync")
        return _notification(title, message, kind)

    def action_metakocka_open_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("metakocka_connector.action_metakocka_sync_log")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _metakocka_records_to_sync(self, company):
        """Records of ``company`` never synced, failed, or changed since their last sync ("Sync all").

        A record changed in a way Metakocka does not see costs nothing later: its push finds the same
        fingerprint and makes no call.
        """
        self.env.cr.execute(SQL(
            """SELECT rec.id FROM %(table)s rec
                LEFT JOIN metakocka_document_link link ON link.%(column)s = rec.id AND link.state = 'synced'
                WHERE rec.company_id = %(company)s
                  AND (COALESCE(rec.metakocka_state, 'not_synced') != 'synced' OR rec.write_date > link.last_sync_at)""",
            table=SQL.identifier(self._table), column=SQL.identifier(self._metakocka_link_column),
            company=company.id,
        ))
        records = self.browse(row[0] for row in self.env.cr.fetchall())
        return records.filtered(target_doc_type)

    # -- a record changed in Odoo and in Metakocka since the last sync, held: a person chooses the version --

    metakocka_edit_conflict = fields.Boolean("Changed on both sides", compute="_compute_metakocka_edit_conflict",
                                             compute_sudo=True)

    @api.depends("metakocka_link_ids.edit_conflict")
    def _compute_metakocka_edit_conflict(self):
        for record in self:
            record.metakocka_edit_conflict = record._metakocka_current_link().edit_conflict

    def action_metakocka_send_odoo_version(self):
        """The "Send Odoo's version" button of a held record: Odoo's version overwrites Metakocka's."""
        link = self._metakocka_held_link()
        if not link:
            return self._metakocka_not_held()
        pusher = DocumentPusher(self.env, self.company_id, client_options=INTERACTIVE)
        return self._metakocka_resolved(pusher.push(self, policy="odoo"))

    def action_metakocka_take_metakocka_version(self):
        """The "Take Metakocka's version" button of a held order: Metakocka's version replaces Odoo's changes."""
        link = self._metakocka_held_link()
        if not link:
            return self._metakocka_not_held()
        importer = DocumentImporter(self.env, self.company_id, client_options=INTERACTIVE)
        outcome = importer.import_document(link.doc_type, link.mk_id, policy="metakocka")
        return self._metakocka_resolved(outcome, self.env._("Metakocka's version of %(record)s was taken into Odoo.",
                                                            record=self.display_name))

    def _metakocka_held_link(self):
        if not self.env.user.has_group("metakocka_connector.group_metakocka_user"):
            raise AccessError(self.env._("Only Metakocka users may send records to Metakocka."))
        self.ensure_one()
        link = self._metakocka_current_link().sudo()
        return link if link.edit_conflict else link.browse()

    def _metakocka_not_held(self):
        return _notification(self.env._("Metakocka sync"), self.env._(
            "%(record)s is not waiting for a choice of version.", record=self.display_name), "warning")

    def _metakocka_resolved(self, outcome, message=None):
        if not outcome.ok:
            return _notification(self.env._("Metakocka sync failed"), outcome.message, "danger")
        return _notification(self.env._("Metakocka sync"), message or _describe(self, outcome), "success")


def _describe(record, outcome):
    env = record.env
    number = outcome.link.count_code if outcome.link else ""
    return {
        "created": env._("%(record)s sent as %(number)s.", record=record.display_name, number=number),
        "updated": env._("%(record)s updated in Metakocka (%(number)s).", record=record.display_name, number=number),
        "unchanged": env._("%(record)s is unchanged since its last sync.", record=record.display_name),
    }.get(outcome.status, outcome.message)


def _notification(title, message, kind):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger",
                   "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
    }
