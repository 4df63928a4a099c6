"""Document sums, with exact rounding rules that the Odoo side can reproduce to the cent.

A document whose lines are all priced with tax (``price_with_tax``) keeps its gross exact, as
live Metakocka does (one line of 200.00 gross with ``discount_value`` 10 gives ``sum_all``
190.00, reference §3.1): its sums are computed from the gross down to net and tax. Every other
document (net-priced, or mixed) is computed from the net up.

Net path (any line priced with ``price``):

* line net  = round_half_up(amount × net_price × Π(1 − d/100), 2), where net_price is the
  line's ``price``, or ``price_with_tax / (1 + rate)`` unrounded;
* ``sum_basic``        = Σ line net;
* ``sum_tax_<code>``   = round_half_up(Σ line net of that tax code × rate, 2);
* ``sum_discount``     = Σ (round_half_up(amount × net_price, 2) − line net) + ``discount_value``.

Gross path (every line priced with ``price_with_tax``):

* line gross = round_half_up(amount × price_with_tax × Π(1 − d/100), 2);
* line net   = round_half_up(line gross / (1 + rate), 2);
* ``sum_basic``        = Σ line net;
* ``sum_tax_<code>``   = Σ (line gross − line net) of that tax code;
* ``sum_discount``     = Σ (round_half_up(round_half_up(amount × price_with_tax, 2) / (1 + rate), 2)
  − line net) + ``discount_value``.

Both paths:

* ``sum_all``          = sum_basic + Σ sum_tax − ``discount_value`` (on the gross path that is
  Σ line gross − ``discount_value``, exactly);
* ``sum_paid``         = Σ payments.

All arithmetic uses :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from .errors import PARAMETER, MkError
from .values import money, parse_decimal, round_half_up

DISCOUNT_ERROR = "Paramether discount must be valid number or numbers separate by semicolon (for example : 10;20)"


def parse_discounts(value: Any) -> list[Decimal]:
    """A line discount: ``"10"`` = 10 %, ``"10;5"`` = 10 % then 5 %. ``"10%"`` is refused."""
    if value is None or value == "":
        return []
    try:
        return [parse_decimal(part, "discount") for part in str(value).split(";")]
    except MkError:
        raise MkError(PARAMETER, DISCOUNT_ERROR) from None


def net_price(line: dict[str, Any]) -> Decimal:
    """The unit price before tax; a gross price is divided by (1 + rate) without rounding."""
    if line.get("price_with_tax") is not None:
        return Decimal(line["price_with_tax"]) / (1 + Decimal(line["tax_factor"]))
    return Decimal(line.get("price") or 0)


def discount_factor(line: dict[str, Any]) -> Decimal:
    """Π(1 − d/100) over the line's chained discounts."""
    factor = Decimal(1)
    for percent in parse_discounts(line.get("discount")):
        factor *= 1 - percent / 100
    return factor


def line_totals(line: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """``(net before discount, net)`` of one stored line on the net path, both rounded to the cent."""
    undiscounted = Decimal(line["amount"]) * net_price(line)
    return round_half_up(undiscounted), round_half_up(undiscounted * discount_factor(line))


def gross_line_totals(line: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    """``(net before discount, net, gross)`` of a line priced with tax: the gross is rounded
    first and the net derived from it, so that net + tax is the gross to the cent."""
    rate = 1 + Decimal(line["tax_factor"])
    undiscounted = Decimal(line["amount"]) * Decimal(line["price_with_tax"])
    gross = round_half_up(undiscounted * discount_factor(line))
    return round_half_up(round_half_up(undiscounted) / rate), round_half_up(gross / rate), gross


@dataclass
class Totals:
    sum_basic: Decimal = Decimal(0)
    sum_discount: Decimal = Decimal(0)
    taxes: dict[str, Decimal] = field(default_factory=dict)  # tax code -> tax
    sum_all: Decimal = Decimal(0)
    sum_paid: Decimal | None = None  # None: the document has no payments

    def as_fields(self) -> dict[str, str]:
        """The ``sum_*`` fields of a document; a zero discount and absent payments are left out."""
        fields = {"sum_basic": money(self.sum_basic)}
        if self.sum_discount:
            fields["sum_discount"] = money(self.sum_discount)
        fields.update({f"sum_tax_{code.lower()}": money(tax) for code, tax in self.taxes.items()})
        fields["sum_all"] = money(self.sum_all)
        if self.sum_paid is not None:
            fields["sum_paid"] = money(self.sum_paid)
        return fields


def document_totals(
    lines: Iterable[dict[str, Any]], discount_value: Any = None, payments: Iterable[dict[str, Any]] = ()
) -> Totals:
    lines = list(lines)
    gross_priced = bool(lines) and all(line.get("price_with_tax") is not None for line in lines)
    totals = _gross_totals(lines) if gross_priced else _net_totals(lines)
    document_discount = Decimal(discount_value or 0)
    totals.sum_discount += document_discount
    totals.sum_all = totals.sum_basic + sum(totals.taxes.values(), Decimal(0)) - document_discount
    payments = list(payments)
    if payments:
        totals.sum_paid = sum((Decimal(payment["amount"]) for payment in payments), Decimal(0))
    return totals


def _net_totals(lines: list[dict[str, Any]]) -> Totals:
    """Net path: the tax of each code is its rounded net × rate."""
    totals = Totals()
    net_by_code: dict[str, Decimal] = {}
    rates: dict[str, Decimal] = {}
    for line in lines:
        undiscounted, net = line_totals(line)
        totals.sum_basic += net
        totals.sum_discount += undiscounted - net
        net_by_code[line["tax"]] = net_by_code.get(line["tax"], Decimal(0)) + net
        rates[line["tax"]] = Decimal(line["tax_factor"])
    totals.taxes = {code: round_half_up(net * rates[code]) for code, net in net_by_code.items()}
    return totals


def _gross_totals(lines: list[dict[str, Any]]) -> Totals:
    """Gross path: the tax of each code is its lines' gross minus their net."""
    totals = Totals()
    for line in lines:
        undiscounted, net, gross = gross_line_totals(line)
        totals.sum_basic += net
        totals.sum_discount += undiscounted - net
        totals.taxes[line["tax"]] = totals.taxes.get(line["tax"], Decimal(0)) + gross - net
    return totals
