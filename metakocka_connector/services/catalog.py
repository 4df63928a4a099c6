"""Partners and products a document needs in Metakocka: found through links, else in Metakocka, else created.

One :class:`Catalog` serves a batch of documents: it reads the links of all their partners and
products in two queries, and asks Metakocka only about what is not linked yet.
"""

from odoo import fields

from ..metakocka_api import MetakockaError
from ..metakocka_api.values import as_list
from .document_mapper import partner_payload, product_payload

BILLING_ADDRESS = "Račun"


class Catalog:
    def __init__(self, service):
        """``service`` is the :class:`~.connection.CompanyService` whose client asks Metakocka."""
        self.env = service.env
        self.company = service.company
        self._service = service
        self._partner_links = {}
        self._product_links = {}

    @property
    def client(self):
        return self._service.client

    def prefetch(self, partners, products):
        """Load the links of ``partners`` and ``products`` for the company in one query each."""
        domain = [("company_id", "=", self.company.id)]
        for link in self.env["metakocka.partner.link"].sudo().search(domain + [("partner_id", "in", partners.ids)]):
            self._partner_links[link.partner_id.id] = link
        for link in self.env["metakocka.product.link"].sudo().search(domain + [("product_id", "in", products.ids)]):
            self._product_links[link.product_id.id] = link

    # -- partners -------------------------------------------------------------------------

    def partner_ref(self, partner):
        """``{"mk_id", "mk_address_id"}`` of ``partner`` in Metakocka, linking or creating it first."""
        link = self._partner_links.get(partner.id)
        if link is None:
            link = self.env["metakocka.partner.link"].sudo().search(
                [("company_id", "=", self.company.id), ("partner_id", "=", partner.id)], limit=1
            )
        if not (link and link.mk_id and link.mk_address_id):
            mk_id, address_id, count_code = self._find_partner(partner) or self._add_partner(partner)
            values = {"mk_id": mk_id, "mk_address_id": address_id, "count_code": count_code, "state": "synced",
                      "last_sync_at": fields.Datetime.now(), "last_direction": "push", "last_error": False}
            if link:
                link.write(values)
            else:
                link = link.create({"company_id": self.company.id, "partner_id": partner.id, **values})
            self._partner_links[partner.id] = link
        return {"mk_id": link.mk_id, "mk_address_id": link.mk_address_id}

    def _find_partner(self, partner):
        """``(mk_id, billing address id, code)`` of the Metakocka partner :meth:`find_partner_row` finds, or None."""
        found = self.find_partner_row(partner)
        return (found["mk_id"], _billing_address_id(found), found.get("count_code")) if found else None

    def find_partner_row(self, partner):
        """The Metakocka partner (as get_partner gives it) with this VAT number, else this email, else exactly
        this name; None when there is none. add_partner has no duplicate detection: ask this first."""
        searches = [
            ({"tax_number": partner.vat}, None),
            ({"email": partner.email}, None),
            ({"name": partner.name}, lambda found: (found.get("customer") or "").strip() == partner.name.strip()),
        ]
        for criteria, accept in searches:
            if not next(iter(criteria.values())):
                continue
            for candidate in self.client.find_partners(**criteria):
                if _billing_address_id(candidate) and (accept is None or accept(candidate)):
                    return candidate
        return None

    def _add_partner(self, partner):
        answer = self.client.add_partner(partner_payload(partner, self.company))
        addresses = as_list(answer.get("mk_address_id_list"))
        if not addresses:
            raise MetakockaError(f"Metakocka created partner {answer.get('mk_id')} without an address id",
                                 op="add_partner")
        return answer["mk_id"], addresses[0]["mk_id"], answer.get("count_code")

    # -- products -------------------------------------------------------------------------

    def ensure_product(self, product):
        """Make sure ``product`` exists in Metakocka's catalogue (found by its code, or added)."""
        if product.id in self._product_links:
            return self._product_links[product.id]
        link = self.env["metakocka.product.link"].sudo().search(
            [("company_id", "=", self.company.id), ("product_id", "=", product.id)], limit=1
        )
        if not link:
            found = self.client.find_product(product.default_code)
            if not found:
                answer = self.client.product_add(product_payload(product))
                found = {"mk_id": answer.get("mk_id"), "count_code": answer.get("count_code")}
            link = link.create({
                "company_id": self.company.id, "product_id": product.id, "mk_id": found["mk_id"],
                "count_code": found.get("count_code"), "state": "synced", "last_sync_at": fields.Datetime.now(),
                "last_direction": "push",
            })
        self._product_links[product.id] = link
        return link


def _billing_address_id(partner):
    addresses = as_list(partner.get("partner_delivery_address_list"))
    billing = [address for address in addresses if address.get("address_type") == BILLING_ADDRESS]
    for address in billing or addresses:
        if address.get("mk_id"):
            return address["mk_id"]
    for contact in as_list(partner.get("partner_contact_list")):
        if contact.get("mk_address_id"):
            return contact["mk_address_id"]
    return None
