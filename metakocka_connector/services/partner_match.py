"""Which Odoo contact a Metakocka partner is: the one finder of the document import and the register pull.

Contacts are tried by VAT number, then email (equal ignoring case, never a pattern), then exact name;
the first of these that finds any contact decides. The contacts of users (internal, portal, archived)
and of companies are never candidates: Metakocka's data must never put an order on the administrator,
or rewrite the company's own address (DESIGN principle 11). Only contacts of the company, or shared
ones (no company), are candidates.
"""

from odoo.tools import SQL
from odoo.tools.sql import escape_psql

#: The contacts of users (internal, portal, archived) and of companies, which remote data never owns.
ODOO_PEOPLE = SQL("(SELECT partner_id FROM res_users UNION "
                  "SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)")


def find_candidates(env, company, *, vat, email, name, domain=()):
    """``(criterion, contacts)``: the contacts of the first criterion (``vat``, ``email``, ``name``) that finds
    any, within ``domain``; ``(None, empty)`` when none does."""
    Partner = env["res.partner"]
    allowed = [("company_id", "in", (False, company.id)), ("id", "not in", ODOO_PEOPLE), *domain]
    criteria = (("vat", [("vat", "=", vat)] if vat else None),
                ("email", [("email", "=ilike", escape_psql(email))] if email else None),
                ("name", [("name", "=", name)] if name else None))
    for criterion, condition in criteria:
        found = condition and Partner.search(allowed + condition)
        if found:
            return criterion, found
    return None, Partner


def odoo_people(env, partner_ids):
    """The ids among ``partner_ids`` of contacts that belong to a user or a company."""
    if not partner_ids:
        return set()
    env.flush_all()
    env.cr.execute(SQL("SELECT id FROM res_partner WHERE id IN %s AND id IN %s", tuple(partner_ids), ODOO_PEOPLE))
    return {row[0] for row in env.cr.fetchall()}
