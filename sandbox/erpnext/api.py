"""The HTTP face of the simulated site: Frappe's v1 REST API (reference §1, §2).

Routes (``/api/v1/...`` is an alias of ``/api/...``; a trailing slash is optional; names are
URL-decoded and may contain ``/``):

==========================================  ======================  ============================
``GET    /api/resource/{doctype}``          ``list:{doctype}``      ``{"data": [rows]}``
``POST   /api/resource/{doctype}``          ``insert:{doctype}``    ``{"data": doc}`` (HTTP 200)
``GET    /api/resource/{doctype}/{name}``   ``get:{doctype}``       ``{"data": doc}``, nulls left out
``PUT    /api/resource/{doctype}/{name}``   ``update:{doctype}``    ``{"data": doc}``
``DELETE /api/resource/{doctype}/{name}``   ``delete:{doctype}``    202 ``{"data": "ok"}`` (v14: ``message``)
``GET|POST /api/method/{dotted.path}``      ``method:{dotted.path}`` ``{"message": ...}``
==========================================  ======================  ============================

The second column is the operation name that faults, hooks and the request recorder use.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import parse_qs, unquote, urlencode

from ..core import Request, Response, Route
from .doctypes import DOCTYPES, PARENT_DOCTYPES
from .documents import Documents, Outcome
from .errors import FrappeError, not_found, not_permitted, server_messages, validation
from .query import QueryRunner, parse_list_query
from .store import Doc, Store
from .webhooks import WebhookSender

if TYPE_CHECKING:
    from .simulator import ERPNextSimulator

GUEST = "Guest"
#: Doctypes the API may not change.
READ_ONLY = ("Deleted Document", "User")
#: Methods a Guest may call.
GUEST_METHODS = ("frappe.client.get_time_zone", "frappe.ping")


@dataclass(frozen=True)
class Credentials:
    api_key: str
    api_secret: str = field(repr=False)
    user: str

    def matches(self, key: str, secret: str) -> bool:
        return hmac.compare_digest(key.encode(), self.api_key.encode()) and hmac.compare_digest(
            secret.encode(), self.api_secret.encode())


@dataclass
class ExtraRows:
    """Rows put as they are (anything JSON can hold) into the next list answers of a doctype, as a
    broken site, proxy or customisation might send them."""

    doctype: str
    rows: list[Any]
    at: int = 0
    times: int | None = 1


@dataclass
class Hook:
    """A callable run just before or after an operation is served (e.g. another user's edit)."""

    op: str
    callback: Callable[["ERPNextSimulator"], Any]
    when: str = "before"
    times: int | None = 1


class FrappeApi:
    def __init__(self, sim: ERPNextSimulator, store: Store, credentials: Credentials, webhooks: WebhookSender,
                 rng_seed: int = 0) -> None:
        self.sim = sim
        self.store = store
        self.documents = Documents(store)
        self.credentials = credentials
        self.webhooks = webhooks
        self.rng = random.Random(rng_seed)
        self.hooks: list[Hook] = []
        self.extra_rows: list[ExtraRows] = []
        #: Every list or count query as parsed: what the client asked for, page by page.
        self.queries: list[dict[str, Any]] = []
        self.methods: dict[str, Callable[[dict[str, Any], str], Any]] = {
            "frappe.auth.get_logged_user": lambda params, user: user,
            "frappe.client.get_time_zone": lambda params, user: {"time_zone": self.store.clock.time_zone},
            "frappe.ping": lambda params, user: "pong",
            "frappe.client.get_count": self._get_count,
            "frappe.client.get_list": self._get_list,
            "frappe.client.get": self._get,
        }

    # --- routing ---------------------------------------------------------------------------

    def route(self, request: Request) -> Route | None:
        path = unquote(request.path)
        if path.startswith("/api/v1/"):
            path = "/api/" + path[len("/api/v1/"):]
        path = path.rstrip("/")
        if path.startswith("/api/method/"):
            method = path[len("/api/method/"):]
            return Route(f"method:{method}", lambda req: self._serve(req, f"method:{method}", self._method, method))
        if not path.startswith("/api/resource/"):
            return None
        rest = path[len("/api/resource/"):]
        doctype, _, name = rest.partition("/")
        if not doctype:
            return None
        if not name:
            kind = {"GET": "list", "POST": "insert"}.get(request.method)
            handler = {"list": self._list, "insert": self._insert}.get(kind)
        else:
            kind = {"GET": "get", "PUT": "update", "DELETE": "delete"}.get(request.method)
            handler = {"get": self._read, "update": self._update, "delete": self._delete}.get(kind)
        if handler is None:
            return Route(f"unsupported:{doctype}", lambda req: Response.html(
                405, f"{request.method} is not allowed here.", headers=[("Allow", "GET, POST, PUT, DELETE")]))
        op = f"{kind}:{doctype}"
        return Route(op, lambda req: self._serve(req, op, handler, doctype, name))

    # --- the envelope every API call shares --------------------------------------------------

    def _serve(self, request: Request, op: str, handler: Callable[..., Any], *args: Any) -> Response:
        settings = self.store.settings
        try:
            if len(request.path) + len(urlencode(request.query, doseq=True)) > settings.max_url_length:
                return Response.html(414, title="414 Request-URI Too Large")
            if settings.maintenance_mode:
                raise FrappeError("SessionStopped")
            self._run_hooks(op, "before")
            user = self._authenticate(request)
            params = _params(request)
            reply = handler(request, user, params, *args)
            self._run_hooks(op, "after")
            return reply
        except FrappeError as error:
            return error.response(show_traceback=settings.show_traceback)

    def _run_hooks(self, op: str, when: str) -> None:
        for hook in [hook for hook in self.hooks if hook.op == op and hook.when == when]:
            if hook.times is not None:
                hook.times -= 1
                if hook.times <= 0:
                    self.hooks.remove(hook)
            hook.callback(self.sim)

    def _authenticate(self, request: Request) -> str:
        """frappe.auth.validate_auth: ``token key:secret`` or ``Basic base64(key:secret)``."""
        header = request.headers.get("Authorization")
        if not header:
            return GUEST
        parts = header.split(" ")
        if len(parts) != 2:
            return GUEST
        kind, token = parts[0].lower(), parts[1]
        if kind == "basic":
            try:
                token = base64.b64decode(token, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise FrappeError("InvalidAuthorizationToken", "Invalid authorization token") from None
        if kind in ("token", "basic"):
            key, _, secret = token.partition(":")
            if self.credentials.matches(key, secret):
                return self.credentials.user
        if self.store.settings.frappe_version >= 15:
            raise FrappeError("AuthenticationError")
        return GUEST  # v14: a bad token fell through to Guest

    def _check_access(self, user: str, doctype: str, write: bool = False) -> None:
        if doctype not in DOCTYPES or DOCTYPES[doctype].istable:
            raise FrappeError("DoesNotExistError", f"DocType {doctype} not found")
        if user == GUEST:
            raise not_permitted()
        roles = DOCTYPES[doctype].roles
        if roles is not None and not roles & self.store.settings.api_user_roles:
            raise not_permitted(f"No permission for {doctype}")
        if write and doctype in READ_ONLY:
            raise not_permitted(f"No permission to write {doctype}")

    # --- resources -------------------------------------------------------------------------

    def _list(self, request: Request, user: str, params: dict[str, Any], doctype: str, _name: str) -> Response:
        self._check_access(user, doctype)
        return Response.json({"data": self._rows(doctype, params)})

    def _rows(self, doctype: str, params: dict[str, Any]) -> list[Any]:
        query = parse_list_query(doctype, params)
        self.queries.append(query.describe())
        with self.store.lock:
            return self._with_extra_rows(doctype, self._runner(doctype).rows(query, self.store.settings.tie_order))

    def _with_extra_rows(self, doctype: str, rows: list[Any]) -> list[Any]:
        for extra in [extra for extra in self.extra_rows if extra.doctype == doctype]:
            rows[extra.at:extra.at] = copy.deepcopy(extra.rows)
            if extra.times is not None:
                extra.times -= 1
                if extra.times <= 0:
                    self.extra_rows.remove(extra)
        return rows

    def _runner(self, doctype: str) -> QueryRunner:
        return QueryRunner(self.store.table(doctype).values(), self.rng,
                           lambda name: self.store.find(doctype, name))

    def _read(self, request: Request, user: str, params: dict[str, Any], doctype: str, name: str) -> Response:
        self._check_access(user, doctype)
        with self.store.lock:
            doc = self.store.find(doctype, name)
            if doc is None:
                raise not_found(doctype, name)
            return Response.json({"data": without_nulls(doc)})

    def _insert(self, request: Request, user: str, params: dict[str, Any], doctype: str, _name: str) -> Response:
        self._check_access(user, doctype, write=True)
        data = _body(request)
        data.pop("doctype", None)
        return self._written(self.documents.insert(doctype, data, user))

    def _update(self, request: Request, user: str, params: dict[str, Any], doctype: str, name: str) -> Response:
        self._check_access(user, doctype, write=True)
        data = _body(request)
        data.pop("flags", None)
        return self._written(self.documents.update(doctype, name, data, user))

    def _delete(self, request: Request, user: str, params: dict[str, Any], doctype: str, name: str) -> Response:
        self._check_access(user, doctype, write=True)
        outcome = self.documents.delete(doctype, name, user)
        self.webhooks.collect(outcome.events)
        key = "data" if self.store.settings.frappe_version >= 15 else "message"
        return Response.json({key: "ok"}, 202)

    def _written(self, outcome: Outcome) -> Response:
        with self.store.lock:
            body: dict[str, Any] = {"data": without_nulls(outcome.doc)}
        if outcome.messages:
            body["_server_messages"] = server_messages(outcome.messages)
        self.webhooks.collect(outcome.events)
        return Response.json(body)

    # --- RPC -------------------------------------------------------------------------------

    def _method(self, request: Request, user: str, params: dict[str, Any], method: str) -> Response:
        handler = self.methods.get(method)
        if handler is None:
            raise FrappeError("DoesNotExistError", f"Failed to get method for command {method} with No module "
                                                   f"named '{method.rsplit('.', 1)[0]}'")
        if user == GUEST and method not in GUEST_METHODS:
            raise not_permitted()
        return Response.json({"message": handler(params, user)})

    def _get_count(self, params: dict[str, Any], user: str) -> int:
        doctype = _required(params, "doctype")
        self._check_access(user, doctype)
        query = parse_list_query(doctype, {"filters": params.get("filters"), "limit_page_length": 0})
        self.queries.append({**query.describe(), "count": True})
        with self.store.lock:
            return self._runner(doctype).count(query)

    def _get_list(self, params: dict[str, Any], user: str) -> list[Any]:
        doctype = _required(params, "doctype")
        self._check_access(user, doctype)
        return self._rows(doctype, params)

    def _get(self, params: dict[str, Any], user: str) -> Doc:
        doctype = _required(params, "doctype")
        self._check_access(user, doctype)
        with self.store.lock:
            if params.get("name"):
                doc = self.store.find(doctype, params["name"])
            else:
                query = parse_list_query(doctype, {"filters": params.get("filters"), "limit_page_length": 1})
                rows = self._runner(doctype).rows(query, "stable")
                doc = self.store.find(doctype, rows[0]["name"]) if rows else None
            if doc is None:
                raise not_found(doctype, params.get("name") or "matching the filters")
            return without_nulls(doc)


def without_nulls(doc: Doc) -> Doc:
    """``as_dict(no_nulls=True)``: what single-document answers look like."""
    clean: Doc = {}
    for key, value in doc.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = [without_nulls(row) if isinstance(row, dict) else row for row in value]
        clean[key] = value
    return clean


def _params(request: Request) -> dict[str, Any]:
    """Query string and, for POST method calls, a JSON or form body (Frappe's form_dict)."""
    params: dict[str, Any] = {key: values[0] for key, values in request.query.items() if values}
    content_type = request.headers.get("Content-Type", "") or ""
    if request.method == "POST" and request.body and "/api/method/" in request.path:
        if "application/x-www-form-urlencoded" in content_type:
            params.update({k: v[0] for k, v in parse_qs(request.body.decode("utf-8")).items()})
        else:
            try:
                body = request.json()
            except ValueError:
                raise validation("The request body is not valid JSON") from None
            if isinstance(body, dict):
                params.update(body)
    return params


def _body(request: Request) -> dict[str, Any]:
    """The document of a POST/PUT: a JSON object, or form data with a ``data`` JSON field."""
    content_type = request.headers.get("Content-Type", "") or ""
    try:
        if "application/x-www-form-urlencoded" in content_type:
            form = parse_qs(request.body.decode("utf-8"))
            data = json.loads(form["data"][0]) if "data" in form else {k: v[0] for k, v in form.items()}
        else:
            data = request.json()
    except (ValueError, KeyError):
        raise validation("The request body is not valid JSON") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise validation("The request body must be a JSON object")
    return data


def _required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not value:
        raise validation(f"{name} is required")
    if value not in PARENT_DOCTYPES and name == "doctype":
        raise FrappeError("DoesNotExistError", f"DocType {value} not found")
    return str(value)
