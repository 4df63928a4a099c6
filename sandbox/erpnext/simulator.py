"""The ERPNext (Frappe) REST API simulator."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core import Request, Response, Route, Simulator
from ..core.admin import json_object
from ..core.persistence import StateFile
from .api import Credentials, ExtraRows, FrappeApi, Hook, without_nulls
from .clock import DEFAULT_TIME_ZONE, SiteClock
from .doctypes import DOCTYPES
from .errors import FrappeError
from .seed import ADMINISTRATOR, DEFAULT_API_USER, generate_customers, initial_data
from .store import Doc, SiteSettings, Store
from .webhooks import EVENTS, DeliveryLog, Webhook, WebhookSender

DEFAULT_API_KEY = "sandbox-key"
DEFAULT_API_SECRET = "sandbox-secret"


class ERPNextSimulator(Simulator):
    """A stateful stand-in for an ERPNext v14/v15 site's REST API::

        with ERPNextSimulator() as sim:
            requests.get(f"{sim.url}/api/resource/Customer",
                         headers={"Authorization": "token sandbox-key:sandbox-secret"})

    ``settings`` (:class:`~.store.SiteSettings`) switch the site's habits: customer naming,
    Frappe version, roles of the API user, maintenance mode, traceback display. Changes made
    "by someone else" (:meth:`touch`, :meth:`insert`, :meth:`delete`, :meth:`seed_customers`) go
    through the same rules as API calls but are not recorded as requests.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEFAULT_API_KEY,
        api_secret: str = DEFAULT_API_SECRET,
        api_user: str = DEFAULT_API_USER,
        time_zone: str = DEFAULT_TIME_ZONE,
        settings: SiteSettings | None = None,
        sample_customers: bool = True,
        seed_customers: int = 0,
        webhook_mode: str = "thread",
        webhook_retry_delays: tuple[float, ...] = (1.0, 4.0),
        rng_seed: int = 0,
        state_file: str | Path | None = None,
    ) -> None:
        super().__init__(host, port)
        self._state_file = StateFile(state_file) if state_file else None
        saved = self._state_file.load() if self._state_file else None
        self._restored = saved["docs"] if saved else None
        self.api_user = api_user
        self.clock = SiteClock(time_zone)
        self._initial_settings = copy.deepcopy(settings or SiteSettings())
        self._sample_customers = sample_customers
        self._seed_customers = seed_customers
        self.store = Store(self.clock, self._initial_data, copy.deepcopy(self._initial_settings))
        if saved:
            self.store.series = dict(saved.get("series") or {})
        self.webhooks = WebhookSender(webhook_mode, webhook_retry_delays)
        self.api = FrappeApi(self, self.store, Credentials(api_key, api_secret, api_user), self.webhooks, rng_seed)

    def _initial_data(self) -> dict[str, dict[str, Doc]]:
        if self._restored is not None:  # a demo's saved state, once; a reset goes back to the seed
            data, self._restored = self._restored, None
            return data
        data = initial_data(self.api_user, sample_customers=self._sample_customers,
                            now=self.clock.now() - timedelta(minutes=5))
        if self._seed_customers:
            generate_customers(data, self._seed_customers, end=self.clock.now() - timedelta(seconds=2))
        return data

    # --- Simulator hooks -----------------------------------------------------------------

    def route(self, request: Request) -> Route | None:
        return self.api.route(request)

    def handle(self, request: Request):
        reply = super().handle(request)
        if self._state_file and request.method != "GET":
            self.save_state()
        return reply

    def save_state(self) -> None:
        """Write the site's documents to the state file (done after every request that may change them)."""
        with self.store.lock:
            self._state_file.save({"docs": self.store.docs, "series": self.store.series})

    def reset_state(self) -> None:
        self.clock.freeze(None)
        self.store.settings = copy.deepcopy(self._initial_settings)
        self.store.reset()
        self.webhooks.clear()
        self.api.hooks.clear()
        self.api.extra_rows.clear()
        self.api.queries.clear()

    def clear_requests(self) -> None:
        super().clear_requests()
        self.api.queries.clear()

    def rate_limit_response(self) -> Response:
        """Frappe's site-wide rate limiter (reference §2.8)."""
        return FrappeError("TooManyRequestsError", headers=(
            ("Retry-After", "1"), ("X-RateLimit-Limit", "600000000"), ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1"))).response()

    def not_found_response(self, request: Request) -> Response:
        if request.path.startswith("/api/"):
            return FrappeError("DoesNotExistError", "Page not found").response()
        return super().not_found_response(request)

    def admin_routes(self):
        return {
            ("GET", "docs"): lambda request: self.docs(request.query_value("doctype") or "Customer"),
            ("POST", "seed"): self._admin_seed,
            ("POST", "touch"): self._admin_touch,
            ("POST", "delete"): lambda request: self._admin_delete(json_object(request)),
            ("GET", "webhooks"): lambda request: [webhook.as_dict() for webhook in self.webhooks.webhooks()],
            ("POST", "webhooks"): self._admin_add_webhook,
            ("DELETE", "webhooks"): lambda request: self._done(self.webhooks.clear()),
            ("POST", "webhook_send"): self._admin_send_webhook,
            ("POST", "clock"): self._admin_clock,
            ("POST", "settings"): self._admin_settings,
            ("GET", "queries"): lambda request: self.queries,
        }

    # --- site settings and clock -------------------------------------------------------------

    @property
    def settings(self) -> SiteSettings:
        return self.store.settings

    @property
    def time_zone(self) -> str:
        return self.clock.time_zone

    def now(self) -> datetime:
        """The site's clock: naive, in the site's time zone."""
        return self.clock.now()

    def set_now(self, moment: datetime | None) -> None:
        """Freeze the site's clock (naive = site time; aware is converted), ``None`` = run again."""
        self.clock.freeze(moment)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    # --- data, as someone working in ERPNext would see and change it ---------------------------

    def docs(self, doctype: str) -> list[Doc]:
        """Every document of ``doctype`` as a single-document GET shows it, in insertion order."""
        with self.store.lock:
            return [without_nulls(doc) for doc in self.store.table(doctype).values()]

    def doc(self, doctype: str, name: str) -> Doc | None:
        """One document with every field (nulls included), or None."""
        return self.store.snapshot(doctype, name)

    def customer(self, name: str) -> Doc | None:
        return self.doc("Customer", name)

    def count_docs(self, doctype: str) -> int:
        with self.store.lock:
            return len(self.store.table(doctype))

    def seed_customers(self, count: int, *, seed: int = 0, prefix: str = "") -> list[str]:
        """Add ``count`` customers, each with a primary Contact and Address, modified in the recent
        past (before now); their names, oldest first."""
        with self.store.lock:
            data = self.store.docs
            end = self.clock.now() - timedelta(seconds=1)
            names = generate_customers(data, count, end=end, seed=seed, prefix=prefix)
            for doctype in ("Customer", "Contact", "Address"):
                for name in list(data[doctype]):
                    self.store.put(data[doctype][name])  # keeps the name index in step
            return names

    def insert(self, doctype: str, values: dict[str, Any], user: str = ADMINISTRATOR) -> Doc:
        """Create a document as ``user`` (webhooks fire)."""
        outcome = self.api.documents.insert(doctype, values, user)
        self.webhooks.collect(outcome.events)
        return copy.deepcopy(outcome.doc)

    def touch(self, doctype: str, name: str, changes: dict[str, Any] | None = None,
              user: str = ADMINISTRATOR) -> Doc:
        """Save a document as ``user`` would in the desk: ``changes`` applied, a new ``modified``."""
        outcome = self.api.documents.update(doctype, name, dict(changes or {}), user)
        self.webhooks.collect(outcome.events)
        return copy.deepcopy(outcome.doc)

    def delete(self, doctype: str, name: str, user: str = ADMINISTRATOR) -> None:
        outcome = self.api.documents.delete(doctype, name, user)
        self.webhooks.collect(outcome.events)

    # --- hooks: things that happen between a client's calls -----------------------------------

    def add_hook(self, op: str, callback: Callable[["ERPNextSimulator"], Any], *, when: str = "before",
                 times: int | None = 1) -> None:
        """Run ``callback(sim)`` when ``op`` (e.g. ``"update:Customer"``) is served, ``before`` or
        ``after`` the work; ``times`` uses (None: until reset)."""
        if when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")
        self.api.hooks.append(Hook(op, callback, when, times))

    def add_list_rows(self, doctype: str, rows: list[Any], *, at: int = 0, times: int | None = 1) -> None:
        """Put ``rows`` as they are (strings, nulls, objects without a name...) at index ``at`` of
        the next ``times`` list answers of ``doctype`` (None: until reset), to see how a client
        copes with a malformed answer."""
        if not isinstance(rows, list):
            raise ValueError("rows must be a list")
        self.api.extra_rows.append(ExtraRows(doctype, list(rows), at, times))

    @property
    def queries(self) -> list[dict[str, Any]]:
        """The list and count queries served, as parsed (doctype, filters, order_by, paging)."""
        return list(self.api.queries)

    # --- webhooks ------------------------------------------------------------------------------

    def add_webhook(self, url: str, secret: str | None = None, *, doctype: str = "Customer",
                    events: Iterable[str] = EVENTS, fields: Iterable[str] = ("customer_name", "disabled"),
                    headers: dict[str, str] | None = None, timeout: float = 5.0) -> int:
        unknown = set(events) - set(EVENTS)
        if unknown or doctype not in DOCTYPES:
            raise ValueError(f"unknown webhook event(s) {sorted(unknown)} or doctype {doctype}")
        return self.webhooks.add(Webhook(url, secret, doctype, tuple(events), tuple(fields), dict(headers or {}),
                                         timeout))

    def deliver_webhooks(self) -> list[int | None]:
        """Send the queued deliveries now (``webhook_mode="manual"``); their last statuses."""
        return self.webhooks.deliver_pending()

    def wait_for_webhooks(self, timeout: float = 10.0) -> None:
        self.webhooks.wait(timeout)

    @property
    def webhook_log(self) -> list[DeliveryLog]:
        return list(self.webhooks.log)

    def send_webhook(self, url: str, secret: str | None, doctype: str, name: str, event: str = "on_update", *,
                     body: bytes | None = None, doc: Doc | None = None) -> int | None:
        """Deliver one event for ``name`` now, as a webhook with ``secret`` would (``body`` replaces
        the rendered one, e.g. to replay an old delivery)."""
        current = doc or self.doc(doctype, name) or {"name": name}
        return self.webhooks.send(Webhook(url, secret, doctype), doctype, name, event, current, body)

    # --- admin endpoints ---------------------------------------------------------------------

    def _admin_seed(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        count = int(options.get("customers", 100))
        names = self.seed_customers(count, seed=int(options.get("seed", 0)), prefix=str(options.get("prefix", "")))
        return {"customers": len(names), "first": names[0] if names else None, "last": names[-1] if names else None}

    def _admin_touch(self, request: Request) -> Doc:
        options = json_object(request)
        try:
            return without_nulls(self.touch(options.get("doctype", "Customer"), options["name"],
                                            options.get("changes") or {}))
        except KeyError:
            raise ValueError("name is required") from None
        except FrappeError as error:
            raise ValueError(str(error)) from None

    def _admin_delete(self, options: dict[str, Any]) -> dict[str, str]:
        try:
            self.delete(options.get("doctype", "Customer"), options["name"])
        except KeyError:
            raise ValueError("name is required") from None
        except FrappeError as error:
            raise ValueError(str(error)) from None
        return {"status": "ok"}

    def _admin_add_webhook(self, request: Request) -> dict[str, int]:
        options = json_object(request)
        if not options.get("url"):
            raise ValueError("url is required")
        extra = {key: options[key] for key in ("doctype", "events", "fields", "headers", "timeout") if key in options}
        return {"id": self.add_webhook(options["url"], options.get("secret"), **extra)}

    def _admin_send_webhook(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        for name in ("url", "name"):
            if not options.get(name):
                raise ValueError(f"{name} is required")
        status = self.send_webhook(options["url"], options.get("secret"), options.get("doctype", "Customer"),
                                   options["name"], options.get("event", "on_update"))
        return {"status": status}

    def _admin_clock(self, request: Request) -> dict[str, str]:
        options = json_object(request)
        if "now" in options:
            self.set_now(datetime.fromisoformat(options["now"]) if options["now"] else None)
        if "advance" in options:
            self.advance(float(options["advance"]))
        return {"now": str(self.now()), "time_zone": self.time_zone}

    def _admin_settings(self, request: Request) -> dict[str, Any]:
        options = json_object(request)
        known = {f.name for f in dataclasses.fields(SiteSettings)}
        unknown = set(options) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        for key, value in options.items():
            setattr(self.store.settings, key, set(value) if key == "api_user_roles" else value)
        settings = dataclasses.asdict(self.store.settings)
        settings["api_user_roles"] = sorted(settings["api_user_roles"])
        return settings

    @staticmethod
    def _done(_: None) -> dict[str, str]:
        return {"status": "ok"}
