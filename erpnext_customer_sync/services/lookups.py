"""Odoo's side of the mapping: countries, states and payment terms found by name or code, loaded
once per run so that a page of customers needs no query per row; and the partners a sync never
touches."""

#: Partners that belong to Odoo's own people: those of every user (internal, portal, archived) and
#: of every company. ERPNext data never links to them nor changes them (an ERPNext user could
#: otherwise set an Odoo user's email and take the account over with a password reset).
PROTECTED_PARTNERS_SQL = "SELECT partner_id FROM res_users UNION SELECT partner_id FROM res_company"


def protected_partner_ids(env):
    """The ids of the partners of :data:`PROTECTED_PARTNERS_SQL`, in one query."""
    env.cr.execute(PROTECTED_PARTNERS_SQL)
    return {partner_id for (partner_id,) in env.cr.fetchall()}


class OdooLookups:
    def __init__(self, env, company):
        self.env = env
        self.company = company
        countries = env["res.country"].sudo().with_context(lang="en_US").search_read([], ["code", "name"])
        self.country_by_code = {row["code"].upper(): row["id"] for row in countries if row["code"]}
        self.country_by_name = {row["name"].casefold(): row["id"] for row in countries}
        self.country_code = {row["id"]: row["code"].upper() for row in countries if row["code"]}
        states = env["res.country.state"].sudo().search_read([], ["country_id", "name", "code"])
        self.state_by_name = {(row["country_id"][0], row["name"].casefold()): row["id"] for row in states}
        self.state_by_code = {(row["country_id"][0], (row["code"] or "").casefold()): row["id"] for row in states}
        self.state_name = {row["id"]: row["name"] for row in states}
        terms = env["account.payment.term"].sudo().with_context(lang="en_US").search_read(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)], ["name", "company_id"],
            order="company_id desc, sequence, id")
        self.term_by_name = {}
        for row in terms:  # the company's own term wins over a shared one of the same name
            self.term_by_name.setdefault(row["name"].strip().casefold(), row["id"])
        self.term_name = {row["id"]: row["name"] for row in terms}

    def country(self, value):
        """The Odoo country of a record's ``country`` (an ISO code, or "?<name>"); None if unknown."""
        if not value:
            return None
        if value.startswith("?"):
            name = value[1:].strip()
            return self.country_by_name.get(name.casefold()) or (
                self.country_by_code.get(name.upper()) if len(name) == 2 else None)
        return self.country_by_code.get(value.upper())

    def state(self, country_id, name):
        """The state called ``name`` (or with that code) within the country; None if unknown."""
        if not (country_id and name):
            return None
        key = name.strip().casefold()
        return self.state_by_name.get((country_id, key)) or self.state_by_code.get((country_id, key))

    def payment_term(self, name):
        return self.term_by_name.get(name.strip().casefold()) if name else None
