"""get_partner, add_partner, update_partner."""

from __future__ import annotations

import pytest

NEW_PARTNER = {
    "business_entity": "true", "taxpayer": "true", "foreign_county": "false", "buyer": "true",
    "tax_id_number": "SI11223344", "registration_number": "5556667000", "customer": "Pražarna Kos d.o.o.",
    "street": "Celovška cesta 150", "post_number": "1000", "place": "Ljubljana", "country": "Slovenija",
    "partner_contact": {"name": "Maja Kos", "gsm": "031 222 333", "email": "maja@prazarna-kos.example"},
    "partner_delivery_address": {"address_type": "Dobava", "street": "Tehnološki park 24", "post_number": "1000",
                                 "city": "Ljubljana", "country": "Slovenija"},
}


def names(answer):
    return [p["customer"] for p in answer["partner_list"]]


@pytest.mark.parametrize("filters, expected", [
    ({"partner_name": "novak"}, ["Kavarna Novak d.o.o."]),
    ({"partner_name": "a"}, ["Kavarna Novak d.o.o.", "Janez Kranjc", "Alpen Kaffee GmbH"]),  # creation order
    ({"partner_tax_number": "SI 2468 1357"}, ["Kavarna Novak d.o.o."]),
    ({"partner_tax_number": "ATU12345678"}, ["Alpen Kaffee GmbH"]),
    ({"partner_email": "JANEZ.KRANJC@example.si"}, ["Janez Kranjc"]),
    ({"partner_phone_number": "041555123"}, ["Janez Kranjc"]),
    ({"partner_id": "1600000221"}, ["Alpen Kaffee GmbH"]),
    ({"partner_name": "Kaffee", "partner_tax_number": "ATU12345678"}, ["Alpen Kaffee GmbH"]),
    ({}, ["Kavarna Novak d.o.o.", "Janez Kranjc", "Alpen Kaffee GmbH"]),
])
def test_get_partner_filters(mk, filters, expected):
    answer = mk.call("get_partner", **filters)
    assert names(answer) == expected
    assert answer["partner_list_count"] == str(len(expected))


def test_filters_combine_with_and(mk):
    assert mk.error("get_partner", "2", partner_name="Kaffee", partner_tax_number="SI24681357") == (
        "No partner with such properties.")


def test_the_register_shape_of_a_partner(mk):
    partner = mk.call("get_partner", partner_id="1600000201")["partner_list"][0]
    assert partner["mk_id"] == "1600000201" and partner["count_code"] == "1000"
    assert (partner["business_entity"], partner["taxpayer"], partner["foreign_county"]) == ("true", "true", "false")
    assert partner["tax_id_number"] == "SI24681357" and partner["registration_number"] == "8123456000"
    assert partner["partner_delivery_address_list"] == [{
        "mk_id": "1600000202", "address_type": "Račun", "street": "Trubarjeva cesta 12", "post_number": "1000",
        "city": "Ljubljana", "country": "Slovenija"}]
    assert partner["partner_contact_list"] == [{
        "mk_id": "1600000203", "mk_address_id": "1600000202", "contact_address": "Trubarjeva cesta 12",
        "name": "Ana Novak", "email": "ana.novak@kavarna-novak.example", "phone": "01 234 56 78"}]


def test_add_partner_and_use_it_on_a_document(mk, put_order):
    added = mk.call("add_partner", partner=NEW_PARTNER)
    assert [a["street"] for a in added["mk_address_id_list"]] == ["Celovška cesta 150", "Tehnološki park 24"]
    billing, delivery = (a["mk_id"] for a in added["mk_address_id_list"])
    partner = mk.call("get_partner", partner_tax_number="SI11223344")["partner_list"][0]
    assert partner["count_code"] == "1003"
    assert [a["address_type"] for a in partner["partner_delivery_address_list"]] == ["Račun", "Dobava"]
    assert partner["partner_contact_list"][0]["mk_id"] == added["mk_contact_id"]
    placed = put_order(partner={"mk_id": added["mk_id"], "mk_address_id": billing},
                       receiver={"mk_id": added["mk_id"], "mk_address_id": delivery})
    document = mk.document("sales_order", placed["mk_id"])
    assert document["partner"]["street"] == "Celovška cesta 150"
    assert document["receiver"]["street"] == "Tehnološki park 24" and document["receiver"]["place"] == "Ljubljana"
    assert document["partner"]["partner_contact"]["email"] == "maja@prazarna-kos.example"


def test_add_partner_has_no_duplicate_detection(mk):
    first = mk.call("add_partner", partner=NEW_PARTNER)["mk_id"]
    second = mk.call("add_partner", partner=NEW_PARTNER)["mk_id"]
    assert first != second
    assert len(mk.call("get_partner", partner_name="Pražarna")["partner_list"]) == 2


def test_add_partner_needs_a_name(mk):
    assert mk.error("add_partner", "2", partner={"street": "X"}) == "Paramether 'customer' is required"
    assert mk.error("add_partner", "2") == "Partner data are missing"


def test_update_partner(mk):
    added = mk.call("add_partner", partner=NEW_PARTNER)
    billing = added["mk_address_id_list"][0]["mk_id"]
    contact = added["mk_contact_id"]
    updated = mk.call("update_partner", partner={
        "mk_id": added["mk_id"],
        "customer": "Pražarna Kos d.o.o. (nova)",
        "tax_id_number": "",  # empty: left alone
        "street": "Celovška cesta 152",
        "partner_delivery_address_list": [
            {"mk_id": billing, "city": "Ljubljana-Šiška"},
            {"address_type": "Poslovna enota", "street": "Stegne 21c", "post_number": "1000", "city": "Ljubljana"},
        ],
        "partner_contact_list": [
            {"mk_id": contact, "email": "maja.kos@prazarna-kos.example"},
            {"mk_address_id": billing, "name": "Računovodstvo", "email": "racuni@prazarna-kos.example"},
        ],
    })
    partner = updated["partner_list"][0]
    assert updated["partner_list_count"] == "1"
    assert partner["customer"] == "Pražarna Kos d.o.o. (nova)" and partner["tax_id_number"] == "SI11223344"
    addresses = partner["partner_delivery_address_list"]
    assert [(a["street"], a["city"]) for a in addresses] == [
        ("Celovška cesta 152", "Ljubljana-Šiška"), ("Tehnološki park 24", "Ljubljana"), ("Stegne 21c", "Ljubljana")]
    assert [c["email"] for c in partner["partner_contact_list"]] == [
        "maja.kos@prazarna-kos.example", "racuni@prazarna-kos.example"]
    assert mk.call("get_partner", partner_id=added["mk_id"])["partner_list"][0] == partner


def test_update_partner_errors(mk):
    assert mk.error("update_partner", "2", partner={"mk_id": "1600999999"}) == "No partner with such properties."
    assert mk.error("update_partner", "2", partner={"count_code": "1000", "partner_contact_list": [
        {"name": "Brez naslova"}]}) == "Paramether 'mk_address_id' is required"
    renamed = mk.call("update_partner", partner={"count_code": "1001", "customer": "Janez Kranjc ml."})
    assert renamed["partner_list"][0]["mk_id"] == "1600000211"
