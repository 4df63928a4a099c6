"""One Metakocka company's HTTP connection: credentials, pooling, timeouts, retries, secrecy."""

import logging
import threading
import time
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from .endpoints import endpoint as endpoint_for
from .errors import ConfigurationError
from .responses import interpret_failure, interpret_response
from .retry import RetryPolicy

_logger = logging.getLogger(__name__)

#: (connect, read) seconds. Some searches take tens of seconds on the real service.
DEFAULT_TIMEOUT = (5.0, 30.0)
#: Requests in flight at once per company; Metakocka's own clients keep to two.
DEFAULT_MAX_CONNECTIONS = 2

# Metakocka runs one search at a time per company and queues the rest, so a second search of ours
# would only hold a connection while waiting. One lock per (URL, company) in this process.
_search_locks = {}
_search_locks_guard = threading.Lock()


def _search_lock(key):
    with _search_locks_guard:
        return _search_locks.setdefault(key, threading.Lock())


class MetakockaTransport:
    """Sends one operation to Metakocka and returns its JSON body, or raises a typed error.

    The secret key is kept out of ``repr``, log records and every error message.
    """

    def __init__(self, base_url, company_id, secret_key, *, timeout=DEFAULT_TIMEOUT,
                 retry=RetryPolicy(), max_connections=DEFAULT_MAX_CONNECTIONS, sleep=time.sleep):
        self.base_url = _checked_base_url(base_url)
        self.company_id = str(company_id or "").strip()
        if not self.company_id:
            raise ConfigurationError("the Metakocka company id is not set")
        if not secret_key:
            raise ConfigurationError("the Metakocka secret key is not set")
        self._secret = _Secret(str(secret_key))
        self.timeout = timeout
        self.retry = retry
        self._sleep = sleep
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max_connections, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})

    def __repr__(self):
        return f"<MetakockaTransport {self.base_url} company {self.company_id}>"

    def has_secret(self, secret_key):
        return self._secret.value == str(secret_key)

    def redact(self, text):
        return text.replace(self._secret.value, "***")

    def call(self, op, payload=None):
        """Send ``op`` with ``payload`` (a dict of strings); retry what is transient."""
        endpoint = endpoint_for(op)
        body = dict(payload or {})
        body["secret_key"] = self._secret.value
        body["company_id"] = self.company_id
        if op == "search":
            with _search_lock((self.base_url, self.company_id)):
                return self._call_with_retries(endpoint, body)
        return self._call_with_retries(endpoint, body)

    def close(self):
        self.session.close()

    def _call_with_retries(self, endpoint, body):
        for attempt in self.retry.retrying(f"{endpoint.op} (company {self.company_id})", sleep=self._sleep):
            with attempt:
                return self._send_once(endpoint, body)

    def _send_once(self, endpoint, body):
        url = self.base_url + endpoint.path
        started = time.monotonic()
        try:
            response = self.session.post(url, json=body, timeout=self.timeout)
        except requests.exceptions.RequestException as exc:
            raise interpret_failure(endpoint, exc, self.redact) from None
        _logger.debug(
            "Metakocka %s answered HTTP %s in %.0f ms",
            endpoint.op, response.status_code, (time.monotonic() - started) * 1000,
        )
        return interpret_response(endpoint, response, self.redact)


class _Secret:
    """Holds the key so that no ``repr``, ``vars()`` or debugger dump of the transport shows it."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "<secret>"


def _checked_base_url(base_url):
    url = (base_url or "").strip().rstrip("/")
    if not url:
        raise ConfigurationError("the Metakocka API URL is not set")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"the Metakocka API URL {url!r} is not an http(s) address")
    if parts.path:
        # Users paste endpoint URLs; the client adds the path families itself.
        url = f"{parts.scheme}://{parts.netloc}"
    return url
