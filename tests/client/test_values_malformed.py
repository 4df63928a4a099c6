"""The value helpers on what a malformed Metakocka document holds: each answer is a value or a ValueError."""

from decimal import Decimal

import pytest

from metakocka_api.values import (
    AMOUNT_LIMIT,
    as_object,
    parse_amount,
    parse_date,
    parse_discount,
    parse_id,
    parse_number,
    parse_text,
    parse_timestamp,
)


@pytest.mark.parametrize("value", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", float("nan"),
                                   float("inf"), Decimal("NaN"), True, {"amount": "1"}, ["1"]])
def test_parse_number_refuses_what_is_no_finite_number(value):
    with pytest.raises(ValueError, match="not a Metakocka number"):
        parse_number(value)


@pytest.mark.parametrize("value", ["1e400", "-1e400", "1e12", str(AMOUNT_LIMIT)])
def test_parse_amount_refuses_sizes_no_document_holds(value):
    assert parse_number(value) is not None  # a number, but not an amount
    with pytest.raises(ValueError, match="not a plausible Metakocka amount"):
        parse_amount(value)


def test_parse_amount_reads_ordinary_amounts():
    assert parse_amount("863,75") == Decimal("863.75")
    assert parse_amount("-2") == Decimal("-2")
    assert parse_amount("999999999999.99") == Decimal("999999999999.99")
    assert parse_amount(None) is None


@pytest.mark.parametrize("value, percent", [
    (None, 0), ("", 0), ("0", 0), ("10", 10), ("10,5", Decimal("10.5")), ("10;20", 28), ("100", 100),
    (" 10 ; ", 10), (15, 15),
])
def test_parse_discount_combines_chained_steps(value, percent):
    assert parse_discount(value) == Decimal(percent)


@pytest.mark.parametrize("value", ["deset", "10%", "150", "-5", "10;abc", "NaN", "10;101", {"discount": "10"}])
def test_parse_discount_refuses_what_is_no_discount(value):
    with pytest.raises(ValueError, match="not a Metakocka discount"):
        parse_discount(value)


@pytest.mark.parametrize("value", ["31.02.2026", "2026-13-01", "00.01.2026", "2026-02-30+02:00", "kmalu", 20260115,
                                   {"date": "15.01.2026"}])
def test_parse_date_refuses_days_that_do_not_exist_and_non_text(value):
    with pytest.raises(ValueError, match="not a Metakocka date"):
        parse_date(value)


@pytest.mark.parametrize("value", ["včeraj popoldne", "2026-02-30T10:00:00+01:00", 1767225600, ["2026-01-01"]])
def test_parse_timestamp_refuses_what_is_no_timestamp(value):
    with pytest.raises(ValueError, match="not a Metakocka timestamp"):
        parse_timestamp(value)


def test_parse_id_gives_digits_as_text():
    assert parse_id("1600000201") == "1600000201"
    assert parse_id(" 1600000201 ") == "1600000201"
    assert parse_id(1600000201) == "1600000201"
    assert parse_id(None) is None
    assert parse_id("") is None


@pytest.mark.parametrize("value", ["PP-12", "16000002O1", "١٢٣", True, 12.5, {"mk_id": "1"}, ["1"]])
def test_parse_id_refuses_what_is_no_metakocka_id(value):
    with pytest.raises(ValueError, match="not a Metakocka id"):
        parse_id(value)


def test_parse_text_takes_text_and_numbers_only():
    assert parse_text("  Kavarna Novak ") == "Kavarna Novak"
    assert parse_text(1000) == "1000"
    assert parse_text(None) == ""
    for value in ({"customer": "Novak"}, ["Novak"], True):
        with pytest.raises(ValueError, match="not a Metakocka text"):
            parse_text(value)


def test_as_object_takes_an_object_or_nothing():
    assert as_object({"customer": "Novak"}) == {"customer": "Novak"}
    assert as_object(None) == {}
    assert as_object("") == {}
    for value in ("Kavarna Novak", ["Novak"], 5):
        with pytest.raises(ValueError, match="not a Metakocka object"):
            as_object(value)


def test_error_messages_show_a_long_value_cut_short():
    with pytest.raises(ValueError) as caught:
        parse_number("x" * 10_000)
    assert len(str(caught.value)) < 100
