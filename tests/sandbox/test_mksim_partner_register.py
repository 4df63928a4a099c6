"""The whole partner register: paging get_partner without a filter, a row shown malformed (or with the
``provice`` typo), and a partner changed "in Metakocka" as a user of its web application would
(``sim.edit_partner``, ``/_sandbox/edit_partner``)."""

from __future__ import annotations

import pytest
import requests

from sandbox.metakocka import partners as register

SEEDED = ["Kavarna Novak d.o.o.", "Janez Kranjc", "Alpen Kaffee GmbH"]


def names(answer):
    return [p["customer"] for p in answer["partner_list"]]


def admin(sim, method, name, **body):
    return requests.request(method, f"{sim.url}/_sandbox/{name}", json=body or None, timeout=5)


# --- paging ----------------------------------------------------------------------------------


def test_the_register_pages_with_limit_and_offset(mk):
    first = mk.call("get_partner", limit="2", offset="0")
    assert names(first) == SEEDED[:2] and first["partner_list_count"] == "2"
    assert names(mk.call("get_partner", limit="2", offset="2")) == SEEDED[2:]


def test_a_page_past_the_end_is_opr_code_2(mk):
    assert mk.error("get_partner", "2", limit="2", offset="3") == "No partner with such properties."


def test_a_page_holds_at_most_one_thousand(mk, sim):
    with sim.store.write() as data:
        for number in range(1000):
            partner = register.new_partner(sim.store, {"customer": f"Kupec {number}"})
            data["partners"][partner["mk_id"]] = partner
    assert len(mk.call("get_partner", limit="5000")["partner_list"]) == 1000
    assert len(mk.call("get_partner", offset="1000")["partner_list"]) == 3


# --- rows shown as they are --------------------------------------------------------------------


def test_raw_fields_show_the_provice_typo_until_an_update(mk, sim, seed):
    sim.set_partner_raw_fields(seed.kranjc["mk_id"], partner_delivery_address_list=[{
        "mk_id": seed.kranjc["mk_address_id"], "address_type": "Račun", "street": "Gosposka ulica 7",
        "post_number": "2000", "city": "Maribor", "provice": "Štajerska", "country": "Slovenija"}])
    shown = mk.call("get_partner", partner_id=seed.kranjc["mk_id"])["partner_list"][0]
    assert shown["partner_delivery_address_list"][0]["provice"] == "Štajerska"
    assert sim.partner(seed.kranjc["mk_id"]) == shown
    updated = mk.call("update_partner", partner={"mk_id": seed.kranjc["mk_id"], "customer": "Janez Kranjc st."})
    assert "provice" not in updated["partner_list"][0]["partner_delivery_address_list"][0]


def test_raw_fields_can_make_a_row_malformed(mk, sim, seed):
    sim.set_partner_raw_fields(seed.alpen["mk_id"], customer={"not": "a name"}, partner_contact_list="x")
    row = mk.call("get_partner", partner_id=seed.alpen["mk_id"])["partner_list"][0]
    assert (row["customer"], row["partner_contact_list"]) == ({"not": "a name"}, "x")
    sim.set_partner_raw_fields(seed.alpen["mk_id"])
    assert mk.call("get_partner", partner_id=seed.alpen["mk_id"])["partner_list"][0]["customer"] == (
        "Alpen Kaffee GmbH")


# --- a Metakocka user's changes --------------------------------------------------------------


def test_edit_partner_sets_fields_as_given_and_clears_with_blank(sim, seed, mk):
    edited = sim.edit_partner(seed.novak["mk_id"], customer="Kavarna Novak s.p.", registration_number="",
                              business_entity="false", place="Ljubljana-Center", province="Osrednjeslovenska")
    assert mk.call("get_partner", partner_id=seed.novak["mk_id"])["partner_list"][0] == edited
    assert (edited["customer"], edited["business_entity"]) == ("Kavarna Novak s.p.", "false")
    assert "registration_number" not in edited and edited["tax_id_number"] == "SI24681357"
    billing = edited["partner_delivery_address_list"][0]
    assert (billing["city"], billing["province"], billing["street"]) == (
        "Ljubljana-Center", "Osrednjeslovenska", "Trubarjeva cesta 12")


def test_edit_partner_adds_edits_and_removes_addresses_and_contacts(sim, seed):
    added = sim.edit_partner(seed.novak["mk_id"], partner_delivery_address_list=[
        {"address_type": "Dobava", "street": "Cankarjeva 3", "post_number": "1000", "city": "Ljubljana"}],
        partner_contact_list=[{"name": "Marko", "email": "marko@kavarna-novak.example", "gsm": "040 1"}])
    delivery = added["partner_delivery_address_list"][1]
    marko = added["partner_contact_list"][1]
    assert marko["mk_address_id"] == seed.novak["mk_address_id"]
    sim.edit_partner(seed.novak["mk_id"], partner_contact_list=[{"mk_id": marko["mk_id"], "email": ""}],
                     partner_delivery_address_list=[{"mk_id": delivery["mk_id"], "street": "Cankarjeva 5"}])
    edited = sim.partner(seed.novak["mk_id"])
    assert "email" not in edited["partner_contact_list"][1]
    assert edited["partner_delivery_address_list"][1]["street"] == "Cankarjeva 5"
    removed = sim.edit_partner(seed.novak["mk_id"], remove_address_ids=[delivery["mk_id"]],
                               remove_contact_ids=[marko["mk_id"]])
    assert len(removed["partner_delivery_address_list"]) == 1 and len(removed["partner_contact_list"]) == 1


def test_edit_partner_refuses_what_metakocka_would(sim, seed):
    with pytest.raises(ValueError, match="cannot edit"):
        sim.edit_partner(seed.novak["mk_id"], colour="red")
    with pytest.raises(ValueError, match="billing address"):
        sim.edit_partner(seed.novak["mk_id"], remove_address_ids=[seed.novak["mk_address_id"]])
    with pytest.raises(ValueError, match="customer"):
        sim.edit_partner(seed.novak["mk_id"], customer="")
    with pytest.raises(ValueError, match="no partner"):
        sim.edit_partner("1600999999", customer="X")


def test_edit_partner_and_the_register_over_http(sim, seed, mk):
    answer = admin(sim, "POST", "edit_partner", mk_id=seed.kranjc["mk_id"], customer="Janez Kranjc ml.")
    assert answer.status_code == 200 and answer.json()["customer"] == "Janez Kranjc ml."
    assert admin(sim, "POST", "edit_partner", customer="X").status_code == 400
    listed = admin(sim, "GET", "partners").json()
    assert [p["customer"] for p in listed] == ["Kavarna Novak d.o.o.", "Janez Kranjc ml.", "Alpen Kaffee GmbH"]
    assert sim.count("get_partner") == 0, "admin calls are not API calls"
