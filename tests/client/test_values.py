import datetime
from decimal import Decimal

import pytest

from metakocka_api.values import (
    as_list,
    format_bool,
    format_doc_date,
    format_number,
    format_timestamp,
    parse_bool,
    parse_date,
    parse_number,
    parse_timestamp,
)


@pytest.mark.parametrize("text, expected", [
    ("19.99", Decimal("19.99")),
    ("19,99", Decimal("19.99")),
    ("1.895,01", Decimal("1895.01")),
    ("1,895.01", Decimal("1895.01")),
    ("1.234.567,5", Decimal("1234567.5")),
    ("-863,75", Decimal("-863.75")),
    ("4.0000000000", Decimal("4")),
    ("103", Decimal("103")),
    (" 7,3 ", Decimal("7.3")),
    (12, Decimal("12")),
])
def test_parse_number_reads_every_format_metakocka_writes(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_parse_number_of_nothing_is_none(empty):
    assert parse_number(empty) is None


def test_parse_number_rejects_text():
    with pytest.raises(ValueError, match="abc"):
        parse_number("abc")


def test_format_number_uses_a_dot_and_rounds_half_up():
    assert format_number(Decimal("19.99")) == "19.99"
    assert format_number(Decimal("2.000")) == "2"
    assert format_number(Decimal("0.475"), places=2) == "0.48"
    assert format_number(12.3, places=2) == "12.30"
    assert format_number(Decimal("-0")) == "0"


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("TRUE", True), ("false", False), ("", False), ("1", True), ("0", False),
    (True, True), (None, None),
])
def test_parse_bool(text, expected):
    assert parse_bool(text) is expected


def test_parse_bool_rejects_other_text():
    with pytest.raises(ValueError):
        parse_bool("maybe")


def test_format_bool():
    assert (format_bool(True), format_bool(0)) == ("true", "false")


@pytest.mark.parametrize("text", ["25.08.2026", "2026-08-25+02:00", "2026-08-25", "2026-08-25+01:00",
                                  "2026-08-25T23:30:00+02:00"])
def test_parse_date_reads_every_date_form(text):
    assert parse_date(text) == datetime.date(2026, 8, 25)


def test_parse_date_of_a_utc_timestamp_gives_the_ljubljana_date():
    assert parse_date("2026-01-14T23:30:00+00:00") == datetime.date(2026, 1, 15)


def test_parse_date_rejects_other_forms():
    with pytest.raises(ValueError):
        parse_date("08/25/2026")


def test_format_doc_date_is_dotted_in_every_month():
    assert format_doc_date(datetime.date(2026, 1, 5)) == "05.01.2026"
    assert format_doc_date("2026-08-25+02:00") == "25.08.2026"


def test_timestamps_round_trip_in_ljubljana_time():
    summer = parse_timestamp("2015-05-08T12:13:15+02:00")
    assert summer == datetime.datetime(2015, 5, 8, 10, 13, 15, tzinfo=datetime.timezone.utc)
    assert format_timestamp(summer) == "2015-05-08T12:13:15+02:00"
    winter = datetime.datetime(2026, 1, 15, 9, 0, 0, 123, tzinfo=datetime.timezone.utc)
    assert format_timestamp(winter) == "2026-01-15T10:00:00+01:00"
    # Naive datetimes are UTC, as Odoo stores them.
    assert format_timestamp(datetime.datetime(2026, 7, 1, 8, 0)) == "2026-07-01T10:00:00+02:00"


def test_naive_timestamp_text_is_ljubljana_time():
    assert parse_timestamp("2026-07-01T10:00:00").utcoffset() == datetime.timedelta(hours=2)


def test_as_list_normalises_object_or_list():
    assert as_list(None) == []
    assert as_list("") == []
    assert as_list({"code": "A"}) == [{"code": "A"}]
    assert as_list([{"code": "A"}, {"code": "B"}]) == [{"code": "A"}, {"code": "B"}]
