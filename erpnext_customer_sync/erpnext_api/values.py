"""ERPNext's values: naive timestamps in the site's time zone, and error message bodies."""

import html
import json
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_TAG = re.compile(r"<[^>]+>")


def parse_timestamp(value):
    """A Frappe ``modified``/``creation`` string (``str(datetime)``, with or without ``.ffffff``)
    as a naive datetime in the site's zone; ``None`` for an empty value."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    text = str(value).strip()
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not an ERPNext timestamp")


def format_timestamp(moment):
    """The site-local naive datetime as ERPNext writes it (microseconds always shown)."""
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def site_zone(time_zone):
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {time_zone!r}") from None


def to_utc(value, time_zone):
    """An ERPNext timestamp (site-local, naive) as a naive UTC datetime, as Odoo keeps them."""
    moment = parse_timestamp(value)
    if moment is None:
        return None
    return moment.replace(tzinfo=site_zone(time_zone)).astimezone(timezone.utc).replace(tzinfo=None)


def from_utc(moment, time_zone):
    """A naive UTC datetime as the site's naive local time."""
    return moment.replace(tzinfo=timezone.utc).astimezone(site_zone(time_zone)).replace(tzinfo=None)


def strip_html(text):
    return html.unescape(_TAG.sub("", str(text))).strip()


def server_messages(body):
    """The messages of an error (or success) body, plain text, in order.

    ``_server_messages`` is a JSON string holding a list of JSON strings (each a message dict);
    v2 answers carry ``errors``/``messages`` lists instead. Anything malformed is skipped.
    """
    found = []
    raw = body.get("_server_messages") if isinstance(body, dict) else None
    if raw:
        try:
            items = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            items = [raw]
        for item in items if isinstance(items, list) else [items]:
            try:
                message = json.loads(item) if isinstance(item, str) else item
            except ValueError:
                message = item
            text = message.get("message") if isinstance(message, dict) else message
            if text:
                found.append(strip_html(text))
    if isinstance(body, dict):
        for key in ("errors", "messages"):
            for item in body.get(key) or []:
                text = item.get("message") if isinstance(item, dict) else item
                if text:
                    found.append(strip_html(text))
    return found


def exception_text(body):
    """The message part of ``exception`` ("frappe.exceptions.X: message"), if any."""
    text = body.get("exception") if isinstance(body, dict) else None
    if not text:
        return None
    _, _, message = str(text).partition(": ")
    return strip_html(message) or None
