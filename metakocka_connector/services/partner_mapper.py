"""Metakocka's partner register and Odoo's contacts: what each side holds, in one comparable shape.

Functions here read records and return plain data; they never call Metakocka or write anything
(countries and provinces are looked up in Odoo, that is all).

Both sides are brought to a *shared state*: the partner's own fields (name, company or person, VAT
number, registration number, billing address, email and phones) and two dicts, ``addresses`` and
``contacts``, keyed by the Metakocka id of each delivery (or other) address and contact person. An
Odoo child contact Metakocka does not know yet is keyed ``new:<id>``.

Where the two places Metakocka shows a partner differ, both are read: a register address has
``city`` where a document partner has ``place``, and real data carries the typo ``provice`` for
``province``. A country comes as an English name, a Slovenian name or an ISO code.

The partner's *main contact* carries its email and phones (Odoo keeps them on the partner itself):
the first contact person of the billing address, else the first contact person. The other contact
persons become Odoo child contacts of type *contact*; delivery addresses (``Dobava``) children of type
*delivery*, every other address but the billing one children of type *other*.

Metakocka's update_partner never clears a field (an empty value is left out), so a payload here holds
only values; a value cleared in Odoo stays in Metakocka.
"""

import re
from dataclasses import dataclass, field

from odoo.tools import escape_psql

from ..metakocka_api.values import as_list, parse_bool, parse_id, parse_text

BILLING = "Račun"
DELIVERY = "Dobava"
BUSINESS_UNIT = "Poslovna enota"
#: The partner's own fields in the shared state (the rest are ``addresses`` and ``contacts``).
OWN_FIELDS = ("name", "is_company", "vat", "company_registry", "street", "zip", "city", "state_id", "country_id",
              "email", "phone", "mobile")
ADDRESS_FIELDS = ("street", "zip", "city", "state_id", "country_id")
CONTACT_FIELDS = ("name", "email", "phone", "mobile")
#: Odoo child contacts that take part: Odoo's invoice addresses have no place in Metakocka.
CHILD_TYPES = ("contact", "delivery", "other")

#: Country names Metakocka writes in Slovenian (Odoo knows them only with Slovenian installed), as ISO codes.
SLOVENIAN_COUNTRIES = {
    "slovenija": "SI", "hrvaška": "HR", "avstrija": "AT", "nemčija": "DE", "italija": "IT", "madžarska": "HU",
    "francija": "FR", "združeno kraljestvo": "GB", "velika britanija": "GB", "združene države amerike": "US",
    "zda": "US", "bosna in hercegovina": "BA", "srbija": "RS", "črna gora": "ME", "severna makedonija": "MK",
    "švica": "CH", "češka": "CZ", "slovaška": "SK", "poljska": "PL", "nizozemska": "NL", "belgija": "BE",
    "luksemburg": "LU", "španija": "ES", "portugalska": "PT", "danska": "DK", "švedska": "SE", "finska": "FI",
    "norveška": "NO", "irska": "IE", "grčija": "GR", "bolgarija": "BG", "romunija": "RO", "estonija": "EE",
    "latvija": "LV", "litva": "LT", "ciper": "CY", "malta": "MT", "albanija": "AL", "kosovo": "XK",
    "ukrajina": "UA", "turčija": "TR", "kitajska": "CN", "japonska": "JP", "kanada": "CA", "avstralija": "AU",
    # Northern Ireland has a code of its own in Metakocka (XI), none in Odoo.
    "xi": "GB", "united kingdom - northern ireland": "GB", "združeno kraljestvo (uk) - severna irska": "GB",
}
_HOUSE_NUMBER = re.compile(r"^(?P<street>.*\S)\s+(?P<number>\d[\w/.-]*)$")


class PartnerRowProblem(ValueError):
    """A register row that cannot be read: names the partner (its code and name) and the field."""

    def __init__(self, who, field, message):
        super().__init__(f"{who or '?'}: {field}: {message}")
        self.who, self.field = who, field


@dataclass
class RemoteAddress:
    mk_id: str
    address_type: str
    street: str
    street_number: str
    zip: str
    city: str
    province: str
    country: str

    @property
    def street_line(self):
        return " ".join(filter(None, [self.street, self.street_number]))


@dataclass
class RemoteContact:
    mk_id: str
    mk_address_id: str
    name: str
    email: str
    phone: str
    mobile: str


@dataclass
class RemotePartner:
    mk_id: str
    count_code: str
    name: str
    is_company: bool
    vat: str
    registration: str
    billing: object  # RemoteAddress or None
    main_contact: object  # RemoteContact or None
    addresses: list = field(default_factory=list)  # the others than the billing address
    contacts: list = field(default_factory=list)  # the others than the main contact

    @property
    def who(self):
        return " ".join(filter(None, [self.count_code, self.name]))


# -- reading a register row ------------------------------------------------------------------------


def read_partner(row):
    """A get_partner row as a :class:`RemotePartner`; raises :class:`PartnerRowProblem`."""
    if not isinstance(row, dict):
        raise PartnerRowProblem(None, "partner", f"not a partner: {repr(row)[:60]}")
    code = _read(row, "count_code", parse_text, None)
    name = _read(row, "customer", parse_text, code)
    who = " ".join(filter(None, [code, name]))
    mk_id = _read(row, "mk_id", parse_id, who)
    if not mk_id:
        raise PartnerRowProblem(who, "mk_id", "the partner has no Metakocka id")
    if not name:
        raise PartnerRowProblem(who, "customer", "the partner has no name")
    addresses = [_address(entry, who, position) for position, entry in
                 enumerate(_entries(row, "partner_delivery_address_list", who), 1)]
    contacts = [_contact(entry, who, position) for position, entry in
                enumerate(_entries(row, "partner_contact_list", who), 1)]
    billing = next((address for address in addresses if address.address_type == BILLING), None)
    main = _main_contact(contacts, billing)
    return RemotePartner(
        mk_id=mk_id, count_code=code, name=name, is_company=bool(_read(row, "business_entity", parse_bool, who)),
        vat=_read(row, "tax_id_number", parse_text, who),
        registration=_read(row, "registration_number", parse_text, who),
        billing=billing, main_contact=main, addresses=[address for address in addresses if address is not billing],
        contacts=[contact for contact in contacts if contact is not main])


def _main_contact(contacts, billing):
    """The contact person whose email and phones are the partner's: the first of the billing address, else the first."""
    on_billing = [contact for contact in contacts if billing and contact.mk_address_id == billing.mk_id]
    return (on_billing or contacts or [None])[0]


def _read(row, key, parse, who, where=None):
    try:
        return parse(row.get(key))
    except ValueError as exc:
        raise PartnerRowProblem(who, f"{where}, {key}" if where else key, str(exc)) from None


def _entries(row, key, who):
    entries = as_list(row.get(key))
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise PartnerRowProblem(who, f"{key} {position}", f"not an object: {repr(entry)[:60]}")
    return entries


def _address(entry, who, position):
    where = f"partner_delivery_address_list {position}"
    text = {key: _read(entry, key, parse_text, who, where) for key in (
        "address_type", "street", "street_number", "post_number", "city", "place", "province", "provice", "country")}
    mk_id = _read(entry, "mk_id", parse_id, who, where)
    if not mk_id:
        raise PartnerRowProblem(who, f"{where}, mk_id", "the address has no Metakocka id")
    return RemoteAddress(mk_id=mk_id, address_type=text["address_type"], street=text["street"],
                         street_number=text["street_number"], zip=text["post_number"],
                         city=text["city"] or text["place"], province=text["province"] or text["provice"],
                         country=text["country"])


def _contact(entry, who, position):
    where = f"partner_contact_list {position}"
    text = {key: _read(entry, key, parse_text, who, where) for key in ("name", "email", "phone", "gsm")}
    ids = {key: _read(entry, key, parse_id, who, where) for key in ("mk_id", "mk_address_id")}
    if not ids["mk_id"]:
        raise PartnerRowProblem(who, f"{where}, mk_id", "the contact person has no Metakocka id")
    return RemoteContact(mk_id=ids["mk_id"], mk_address_id=ids["mk_address_id"] or "", name=text["name"],
                         email=text["email"], phone=text["phone"], mobile=text["gsm"])


# -- countries and provinces -----------------------------------------------------------------------


def find_country(env, text):
    """Odoo's country for Metakocka's country text: by ISO code, then by name in English and Slovenian."""
    text = (text or "").strip()
    if not text:
        return env["res.country"]
    Country = env["res.country"].with_context(active_test=False)
    code = SLOVENIAN_COUNTRIES.get(text.casefold()) or (text if len(text) == 2 and text.isalpha() else None)
    if code:
        country = Country.search([("code", "=ilike", code)], limit=1)
        if country:
            return country
    installed = {code for code, _name in env["res.lang"].get_installed()}
    for lang in [lang for lang in ("en_US", "sl_SI") if lang in installed]:
        country = Country.with_context(lang=lang).search([("name", "=ilike", escape_psql(text))], limit=1)
        if country:
            return country
    return env["res.country"]


def find_state(env, country, text):
    """Odoo's state (province) of ``country`` by name or code; none when Odoo does not know it."""
    text = (text or "").strip()
    if not (text and country):
        return env["res.country.state"]
    return env["res.country.state"].search([("country_id", "=", country.id), "|", ("name", "=ilike", escape_psql(text)),
                                            ("code", "=ilike", escape_psql(text))], limit=1)


# -- the shared state ------------------------------------------------------------------------------


def remote_state(env, remote):
    """The shared state of a Metakocka partner; an unknown country raises :class:`PartnerRowProblem`."""
    main = remote.main_contact
    state = {
        "name": remote.name, "is_company": remote.is_company, "vat": remote.vat,
        "company_registry": remote.registration,
        **_remote_address(env, remote.billing, remote.who, "billing address"),
        "email": main.email if main else "", "phone": main.phone if main else "",
        "mobile": main.mobile if main else "",
    }
    state["addresses"] = {
        address.mk_id: {"type": odoo_address_type(address.address_type),
                        **_remote_address(env, address, remote.who, f"address {address.mk_id}")}
        for address in remote.addresses}
    state["contacts"] = {contact.mk_id: _remote_contact(contact, remote.name) for contact in remote.contacts}
    return state


def _remote_address(env, address, who, where):
    if not address:
        return {"street": "", "zip": "", "city": "", "state_id": False, "country_id": False}
    country = find_country(env, address.country)
    if address.country and not country:
        raise PartnerRowProblem(who, f"{where}, country", f"Odoo knows no country {address.country!r}")
    return {"street": address.street_line, "zip": address.zip, "city": address.city,
            "state_id": find_state(env, country, address.province).id or False, "country_id": country.id or False}


def _remote_contact(contact, partner_name):
    """A contact person's state; one without a name is named by its email or phone (Odoo needs a name)."""
    name = contact.name or contact.email or contact.mobile or contact.phone or partner_name
    return {"name": name, "email": contact.email, "phone": contact.phone, "mobile": contact.mobile}


def odoo_address_type(address_type):
    return "delivery" if address_type == DELIVERY else "other"


def odoo_state(partner, entries, excluded_ids=()):
    """The shared state of an Odoo contact and its children; ``entries`` are its child links (Metakocka ids
    of its children), ``excluded_ids`` the partners of users and companies, which never take part."""
    state = {key: _own_value(partner, key) for key in OWN_FIELDS}
    state.update(addresses={}, contacts={})
    by_child = {entry.partner_id.id: entry for entry in entries}
    for child in shared_children(partner, by_child, excluded_ids):
        entry = by_child.get(child.id)
        kind = entry.kind if entry else child_kind(child)
        key = entry.mk_id if entry else f"new:{child.id}"
        state["addresses" if kind == "address" else "contacts"][key] = child_state(child, kind)
    return state


def shared_children(partner, by_child, excluded_ids=()):
    """The children that take part: the linked ones (even archived), and active people and addresses."""
    children = partner.with_context(active_test=False).child_ids
    return children.filtered(lambda child: child.id in by_child or (
        child.active and child.type in CHILD_TYPES and not child.is_company and child.id not in excluded_ids))


def child_kind(child):
    return "contact" if child.type == "contact" else "address"


def child_state(child, kind):
    if kind == "address":
        return {"type": child.type, **{key: _own_value(child, key) for key in ADDRESS_FIELDS}}
    return {key: _own_value(child, key) for key in CONTACT_FIELDS}


def _own_value(record, key):
    if key == "street":
        return ", ".join(filter(None, [record.street, record.street2]))
    if key in ("state_id", "country_id"):
        return record[key].id or False
    if key == "is_company":
        return bool(record.is_company)
    return record[key] or ""


def own_state(state):
    return {key: state[key] for key in OWN_FIELDS}


# -- Odoo values -----------------------------------------------------------------------------------


def values_for(current, target, keys):
    """The values that make a record whose state is ``current`` hold ``target`` (only what differs)."""
    values = {}
    for key in keys:
        if current.get(key) == target[key]:
            continue
        if key == "street":
            values.update(street=target[key] or False, street2=False)
        elif key in ("type", "is_company"):
            values[key] = target[key]
        else:
            values[key] = target[key] or False
    return values


def new_partner_values(state, company_id):
    """The values of an Odoo contact created for a Metakocka partner."""
    values = values_for({}, state, OWN_FIELDS)
    return {**values, "is_company": state["is_company"], "company_id": company_id}


def new_child_values(parent, kind, state):
    keys = ("type", *ADDRESS_FIELDS) if kind == "address" else CONTACT_FIELDS
    values = values_for({}, state, keys)
    return {**values, "parent_id": parent.id, "type": state["type"] if kind == "address" else "contact"}


def address_key(state):
    """What makes two addresses the same address, whatever their ids."""
    return tuple(_folded(state[key]) for key in ("street", "zip", "city", "country_id"))


def contact_key(state):
    """What makes two contact persons the same person, whatever their ids."""
    return tuple(_folded(state[key]) for key in ("name", "email"))


def _folded(value):
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


# -- differences a person reviews ------------------------------------------------------------------


def differences(env, kept, incoming, only_filled=False, clears=True):
    """``field: 'kept' → 'incoming'`` texts of the own fields that differ. With ``only_filled`` only those
    ``kept`` has a value for (filling an empty field rewrites nothing), and, without ``clears``, only those
    ``incoming`` has a value for too (update_partner cannot clear); otherwise the children count too."""
    texts = []
    for key in OWN_FIELDS:
        flag = key == "is_company"  # either value of a flag is a value
        rewrites = (kept[key] or flag or not only_filled) and (incoming[key] or flag or clears)
        if kept[key] != incoming[key] and rewrites:
            texts.append(f"{key}: {_shown(env, key, kept[key])} → {_shown(env, key, incoming[key])}")
    if not only_filled:
        for key in ("addresses", "contacts"):
            if kept[key] != incoming[key]:
                texts.append(env._("%(what)s differ", what=key))
    return texts


def _shown(env, key, value):
    if key in ("state_id", "country_id") and value:
        return repr(env[env["res.partner"]._fields[key].comodel_name].browse(value).name)
    return repr(value) if value not in ("", False) else "—"


# -- Metakocka payloads ----------------------------------------------------------------------------


def add_payload(partner, company):
    """The body of add_partner for an Odoo contact (its address is saved as the billing address)."""
    payload = {**_top_level(partner, company, None), "buyer": "true"}
    contact = {"name": partner.name, "email": partner.email, "phone": partner.phone, "gsm": partner.mobile}
    payload["partner_contact"] = _filled(contact)
    return payload


def update_payload(partner, company, link, remote, addresses, contacts, main):
    """The body of update_partner: ``addresses``/``contacts`` are ``(mk_id or None, child)`` pairs (an entry
    without an id is added), ``main`` the main contact's id (None: added when Odoo has an email or phone)."""
    payload = {"mk_id": link.mk_id, **_top_level(partner, company, remote.billing)}
    by_id = {address.mk_id: address for address in remote.addresses}
    payload["partner_delivery_address_list"] = [
        _address_entry(mk_id, child, by_id.get(mk_id)) for mk_id, child in addresses]
    entries = [_contact_entry(mk_id, child, link.mk_address_id) for mk_id, child in contacts]
    own = _filled({"email": partner.email, "phone": partner.phone, "gsm": partner.mobile})
    if main:
        entries.insert(0, {"mk_id": main, **own})
    elif own:
        entries.insert(0, {"mk_address_id": link.mk_address_id, "name": partner.name, **own})
    payload["partner_contact_list"] = entries
    return {key: value for key, value in payload.items() if value != []}


def _top_level(partner, company, billing):
    foreign = partner.country_id and company.country_id and partner.country_id != company.country_id
    values = {
        "business_entity": "true" if partner.is_company else "false", "taxpayer": "true" if partner.vat else "",
        "foreign_county": ("true" if foreign else "false") if partner.country_id else "",
        "customer": partner.name, "tax_id_number": partner.vat,
        "registration_number": partner.company_registry, "post_number": partner.zip, "place": partner.city,
        "province": partner.state_id.name, "country": partner.country_id.code,
        **street_fields(_own_value(partner, "street"), billing),
    }
    return _filled(values)


def _address_entry(mk_id, child, remote):
    address_type = remote.address_type if remote and odoo_address_type(remote.address_type) == child.type else (
        DELIVERY if child.type == "delivery" else BUSINESS_UNIT)
    entry = {"mk_id": mk_id, "address_type": address_type, "post_number": child.zip, "city": child.city,
             "province": child.state_id.name, "country": child.country_id.code,
             **street_fields(_own_value(child, "street"), remote)}
    return _filled(entry)


def _contact_entry(mk_id, child, billing_id):
    entry = {"name": child.name, "email": child.email, "phone": child.phone, "gsm": child.mobile}
    return _filled({"mk_id": mk_id, **entry} if mk_id else {"mk_address_id": billing_id, **entry})


def street_fields(line, remote):
    """Odoo's street line as Metakocka's fields: split into street and house number when Metakocka keeps the
    number apart for this address (it cannot be cleared, so it must be sent)."""
    match = _HOUSE_NUMBER.match(line or "")
    if remote and remote.street_number and match:
        return {"street": match["street"], "street_number": match["number"]}
    return {"street": line}


def _filled(values):
    return {key: value for key, value in values.items() if value}
