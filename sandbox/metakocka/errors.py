"""Metakocka's business errors: HTTP 200 with a non-zero ``opr_code`` and an ``opr_desc``."""

from __future__ import annotations

from typing import Any

# The official codes (reference §1.3).
INTERNAL = 1
PARAMETER = 2
AUTH = 3
RATE_LIMIT = 5
APPLICATION = 6
PRODUCT_NOT_FOUND = 8


class MkError(Exception):
    def __init__(self, opr_code: int, desc: str) -> None:
        super().__init__(desc)
        self.opr_code = opr_code
        self.desc = desc

    def as_dict(self) -> dict[str, str]:
        return {"opr_code": str(self.opr_code), "opr_desc": self.desc}


def required(body: dict[str, Any], field: str) -> Any:
    """``body[field]``, or Metakocka's "required" error (its spelling: "Paramether")."""
    value = body.get(field)
    if value is None or value == "":
        raise MkError(PARAMETER, f"Paramether '{field}' is required")
    return value


def invalid(field: str, value: Any, valid: str | None = None) -> MkError:
    desc = f"Paramether '{field}' has invalid value : {value}"
    return MkError(PARAMETER, f"{desc}. Valid values : {valid}" if valid else desc)
