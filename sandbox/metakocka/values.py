"""Metakocka's value formats.

* Output: every scalar is a string, empty values are left out (never ``null``), booleans are
  ``"true"``/``"false"``. Sums use a dot and two decimals (``"122.00"``); some quantities use a
  decimal comma (``"863,75"``); payment amounts the Slovenian style (``"1.895,01"``).
* Input: numbers may be JSON numbers or strings with a dot or a comma, with thousands
  separators (``"19.99"``, ``"19,99"``, ``"1.895,01"``).
* Document dates are ``YYYY-MM-DD+02:00`` (a literal offset, whatever the season); timestamps
  are ISO with the Europe/Ljubljana offset.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import PARAMETER, MkError, invalid

try:
    from zoneinfo import ZoneInfo

    LJUBLJANA = ZoneInfo("Europe/Ljubljana")
except Exception:  # no tz database (e.g. Windows without tzdata): a fixed summer offset
    LJUBLJANA = timezone(timedelta(hours=2))

CENT = Decimal("0.01")
DOC_DATE_OFFSET = "+02:00"

# --- numbers -----------------------------------------------------------------------------


def parse_decimal(value: Any, field: str) -> Decimal:
    """Read a number the way Metakocka does; when both ``.`` and ``,`` appear, the last one is
    the decimal separator."""
    if isinstance(value, bool):
        raise invalid(field, value)
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if not isinstance(value, str):
        raise invalid(field, value)
    text = value.strip().replace(" ", "")
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise invalid(field, value) from None
    if not number.is_finite():
        raise invalid(field, value)
    return number


def round_half_up(number: Decimal) -> Decimal:
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def money(number: Decimal) -> str:
    """A sum: ``"122.00"``."""
    return str(round_half_up(number))


def plain(number: Decimal) -> str:
    """A number without trailing zeros or exponent: ``"2"``, ``"19.99"``."""
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def comma(number: Decimal) -> str:
    """A number with a decimal comma when fractional: ``"103"``, ``"863,75"``."""
    return plain(number).replace(".", ",")


def slovenian_money(number: Decimal) -> str:
    """Thousands dots and a decimal comma: ``"1.895,01"``."""
    return format(round_half_up(number), ",.2f").translate(str.maketrans(",.", ".,"))


# --- dates -------------------------------------------------------------------------------

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_doc_date(value: Any, field: str = "doc_date") -> date:
    """A put_document date: only ``dd.mm.yyyy`` and ``YYYY-MM-DD+02:00`` are accepted. The live
    service refuses ``+01:00`` even in January, a bare date, and a full timestamp."""
    text = value if isinstance(value, str) else ""
    parsed = None
    if match := _DOTTED.fullmatch(text):
        parsed = _date(match[3], match[2], match[1])
    elif text.endswith(DOC_DATE_OFFSET) and (match := _ISO_DATE.fullmatch(text[: -len(DOC_DATE_OFFSET)])):
        parsed = _date(match[1], match[2], match[3])
    if parsed is None:
        raise MkError(
            PARAMETER,
            f"Paramether '{field}' has invalid value : {value}. Valid formats : dd.mm.yyyy, yyyy-MM-dd+02:00",
        )
    return parsed


def parse_loose_date(value: Any, field: str) -> date:
    """A date in a search filter or a payment: ``dd.mm.yyyy``, or ISO with any offset or time."""
    text = value.strip() if isinstance(value, str) else ""
    parsed = None
    if match := _DOTTED.fullmatch(text):
        parsed = _date(match[3], match[2], match[1])
    elif match := _ISO_DATE.match(text):
        parsed = _date(match[1], match[2], match[3])
    if parsed is None:
        raise invalid(field, value)
    return parsed


def parse_timestamp(value: Any, field: str) -> datetime:
    """An aware timestamp; a bare date means its midnight, a naive time Ljubljana's time."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})([+-]\d{2}:\d{2})?", text)
        if match is None:
            return datetime.combine(parse_loose_date(value, field), time(), LJUBLJANA)
        moment = datetime.fromisoformat(f"{match[1]}T00:00:00{match[2] or ''}")
    return moment if moment.tzinfo else moment.replace(tzinfo=LJUBLJANA)


def doc_date(day: date) -> str:
    return f"{day.isoformat()}{DOC_DATE_OFFSET}"


def dotted_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def timestamp(moment: datetime) -> str:
    return moment.astimezone(LJUBLJANA).isoformat(timespec="seconds")


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


# --- booleans, emptiness, shapes ---------------------------------------------------------


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean(value: Any) -> Any:
    """Metakocka's output shape: every scalar a string, empty values (and ``None``) left out.

    Decimals become plain numbers here; sums and comma-formatted values must be formatted
    before, with the functions above.
    """
    if isinstance(value, dict):
        cleaned = {key: clean(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item is not None} or None
    if isinstance(value, (list, tuple)):
        return [item for item in map(clean, value) if item is not None] or None
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def one_or_list(items: list[Any]) -> Any:
    """Metakocka returns a list of exactly one element as the bare element."""
    return items[0] if len(items) == 1 else items


def text_list(value: Any) -> list[str]:
    """A list parameter sent as a JSON list or as a comma-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(",") if item.strip()]


def objects(value: Any, field: str) -> list[dict[str, Any]]:
    """A list-of-objects parameter (a client may also send a single object)."""
    if is_blank(value):
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise MkError(PARAMETER, f"Paramether '{field}' must be a list of objects")
    return items


def page_window(body: dict[str, Any], max_limit: int) -> tuple[int, int]:
    """``(offset, limit)`` of a paged call; the limit defaults to, and is capped at, ``max_limit``."""
    offset = _int_param(body, "offset", 0)
    limit = _int_param(body, "limit", max_limit)
    return max(offset, 0), min(limit if limit > 0 else max_limit, max_limit)


def _int_param(body: dict[str, Any], field: str, default: int) -> int:
    value = body.get(field)
    if value is None or value == "":
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise invalid(field, value) from None


def optional_text(value: Any) -> str | None:
    if value is None or value == "" or isinstance(value, (dict, list)):
        return None
    return clean(value)
