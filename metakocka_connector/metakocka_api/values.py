"""Conversions between Metakocka's all-strings JSON and Python values.

Metakocka sends every scalar as a string, mixes decimal formats ("19.99", "19,99", "1.895,01"),
writes document dates as ``dd.mm.yyyy`` or ``YYYY-MM-DD+02:00`` and sometimes returns a lone list
element as a bare object. These helpers absorb all of that in one place.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

#: Metakocka's business timezone, used for timestamps we send.
LJUBLJANA = ZoneInfo("Europe/Ljubljana")

_DOC_DATE_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DOC_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[+-]\d{2}:?\d{2}|Z)?$")


def parse_number(value):
    """Turn a Metakocka number into a Decimal; ``None`` or ``""`` give ``None``.

    When both ``.`` and ``,`` appear, the last one is the decimal separator and the other groups
    thousands ("1.895,01" and "1,895.01" are both 1895.01). A lone comma is a decimal comma.
    """
    if value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a Metakocka number: {value!r}") from None


def format_number(value, places=None):
    """Format a number the way Metakocka accepts it on input: a string with a decimal dot.

    With ``places`` the value is rounded half-up to that many decimals ("12.30"); without it, the
    shortest exact form is used ("2", "0.095").
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse_bool(value):
    """``"true"``/``"false"`` (any case), real booleans, ``"1"``/``"0"``; ``None`` stays ``None``."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "da"):
        return True
    if text in ("false", "0", "no", "ne", ""):
        return False
    raise ValueError(f"not a Metakocka boolean: {value!r}")


def format_bool(value):
    return "true" if value else "false"


def parse_date(value):
    """Parse a document date: ``dd.mm.yyyy``, ``YYYY-MM-DD``, ``YYYY-MM-DD+02:00``; a timestamp
    gives its date in Ljubljana."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(LJUBLJANA).date() if value.tzinfo else value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    match = _DOC_DATE_DOTTED.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    match = _DOC_DATE_ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if "T" in text:
        return parse_timestamp(text).astimezone(LJUBLJANA).date()
    raise ValueError(f"not a Metakocka date: {value!r}")


def format_doc_date(value):
    """A date as ``dd.mm.yyyy``: the one form ``put_document`` accepts in every month."""
    return parse_date(value).strftime("%d.%m.%Y")


def parse_timestamp(value):
    """Parse ``2015-05-08T12:13:15+02:00`` into an aware datetime (naive input means Ljubljana)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a Metakocka timestamp: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LJUBLJANA)
    return moment


def format_timestamp(value):
    """An aware (or UTC-naive) datetime as ``YYYY-MM-DDTHH:MM:SS+01:00`` in Ljubljana time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(LJUBLJANA).replace(microsecond=0).isoformat()


def as_list(value):
    """Normalise a field that may be missing, a single object or a list into a list."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [value]
