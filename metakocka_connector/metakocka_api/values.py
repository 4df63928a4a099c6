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

#: Larger than any quantity, price or sum of a real document; a float keeps cents well below it.
AMOUNT_LIMIT = Decimal(10) ** 12

_DOC_DATE_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DOC_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[+-]\d{2}:?\d{2}|Z)?$")


def parse_number(value):
    """Turn a Metakocka number into a Decimal; ``None`` or ``""`` give ``None``.

    When both ``.`` and ``,`` appear, the last one is the decimal separator and the other groups
    thousands ("1.895,01" and "1,895.01" are both 1895.01). A lone comma is a decimal comma.
    Anything else (text, an object, NaN, Infinity) is a ValueError.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(f"not a Metakocka number: {_shown(value)}")
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
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"not a Metakocka number: {_shown(value)}")
    return number


def parse_amount(value):
    """A quantity, price or sum: a number (see :func:`parse_number`) smaller than :data:`AMOUNT_LIMIT`.

    ``"1e400"`` is a number, but no document holds it, and Odoo's floats could not.
    """
    number = parse_number(value)
    if number is not None and abs(number) >= AMOUNT_LIMIT:
        raise ValueError(f"not a plausible Metakocka amount: {_shown(value)}")
    return number


def parse_discount(value):
    """A line's discount in percent; chained discounts ("10;20") make one (28). Nothing is 0.

    Every step must lie between 0 and 100.
    """
    total = Decimal(0)
    invalid = ValueError(f"not a Metakocka discount (each step 0 to 100): {_shown(value)}")
    for step in ("" if value is None else str(value)).split(";"):
        try:
            percent = parse_number(step)
        except ValueError:
            raise invalid from None
        if percent is None:
            continue
        if not 0 <= percent <= 100:
            raise invalid
        total = 100 - (100 - total) * (100 - percent) / 100
    return total


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
    gives its date in Ljubljana. Anything else, or a day that does not exist, is a ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(LJUBLJANA).date() if value.tzinfo else value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a Metakocka date: {_shown(value)}")
    text = value.strip()
    dotted, iso = _DOC_DATE_DOTTED.match(text), _DOC_DATE_ISO.match(text)
    if dotted or iso:
        day, month, year = dotted.groups() if dotted else reversed(iso.groups())
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"not a Metakocka date: {_shown(value)}") from None
    if "T" in text:
        return parse_timestamp(text).astimezone(LJUBLJANA).date()
    raise ValueError(f"not a Metakocka date: {_shown(value)}")


def format_doc_date(value):
    """A date as ``dd.mm.yyyy``: the one form ``put_document`` accepts in every month."""
    return parse_date(value).strftime("%d.%m.%Y")


def parse_timestamp(value):
    """Parse ``2015-05-08T12:13:15+02:00`` into an aware datetime (naive input means Ljubljana)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif not isinstance(value, str):
        raise ValueError(f"not a Metakocka timestamp: {_shown(value)}")
    else:
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a Metakocka timestamp: {_shown(value)}") from None
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


def as_object(value):
    """A field that holds one object (a partner, a line): ``{}`` when missing; anything else is a ValueError."""
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"not a Metakocka object: {_shown(value)}")
    return value


def parse_id(value):
    """A Metakocka id (``mk_id``): digits, as a string; ``None`` or ``""`` give ``None``."""
    if value is None or value == "":
        return None
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a Metakocka id: {_shown(value)}")
    return text


def parse_text(value):
    """A text field, stripped; a number as its text; nothing gives ``""``; an object or a list is a ValueError."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(f"not a Metakocka text: {_shown(value)}")
    return str(value).strip()


def _shown(value, limit=60):
    """``value`` for an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
