"""One ERPNext site's HTTP connection: token auth, pooling, timeouts, retries, secrecy."""

import logging
import time
from urllib.parse import quote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .errors import ConfigurationError
from .responses import interpret_failure, interpret_response
from .retry import RetryPolicy

_logger = logging.getLogger(__name__)

#: (connect, read) seconds.
DEFAULT_TIMEOUT = (5.0, 30.0)
DEFAULT_MAX_CONNECTIONS = 4
#: Methods that change data: sent again only when they surely did not arrive.
WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")


class ERPNextTransport:
    """Sends one request to ERPNext and returns its JSON body, or raises a typed error.

    The API secret is kept out of ``repr``, log records and every error message.
    """

    def __init__(self, base_url, api_key, api_secret, *, timeout=DEFAULT_TIMEOUT, retry=RetryPolicy(),
                 max_connections=DEFAULT_MAX_CONNECTIONS, sleep=time.sleep):
        self.base_url = checked_base_url(base_url)
        self.api_key = str(api_key or "").strip()
        if not self.api_key:
            raise ConfigurationError("the ERPNext API key is not set")
        if not api_secret:
            raise ConfigurationError("the ERPNext API secret is not set")
        self._auth = _TokenAuth(self.api_key, str(api_secret))
        self.timeout = timeout
        self.retry = retry
        self._sleep = sleep
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max_connections, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json"})
        self.session.auth = self._auth

    def __repr__(self):
        return f"<ERPNextTransport {self.base_url} key {self.api_key}>"

    def has_secret(self, api_secret):
        return self._auth.secret == str(api_secret)

    def redact(self, text):
        text = str(text)
        return text.replace(self._auth.secret, "***") if self._auth.secret else text

    def request(self, method, path, *, params=None, json=None, write=None):
        """Send ``method path`` and return the decoded JSON object; retry what is transient.

        ``write`` defaults to "the method changes data"; a read sent as POST (``get_list`` with a
        long filter) passes ``write=False``.
        """
        write = method in WRITE_METHODS if write is None else write
        operation = f"{method} {path}"
        for attempt in self.retry.retrying(operation, sleep=self._sleep):
            with attempt:
                return self._send_once(method, path, params, json, write, operation)
        return None  # pragma: no cover - tenacity either returns or raises

    def url_length(self, path, params):
        return len(self.base_url) + len(path) + 1 + len(urlencode(params or {}))

    def close(self):
        self.session.close()

    def _send_once(self, method, path, params, body, write, operation):
        url = self.base_url + path
        started = time.monotonic()
        try:
            response = self.session.request(method, url, params=params, json=body, timeout=self.timeout)
        except requests.exceptions.RequestException as exc:
            raise interpret_failure(operation, exc, self.redact, write=write) from None
        _logger.debug("ERPNext %s answered HTTP %s in %.0f ms", operation, response.status_code,
                      (time.monotonic() - started) * 1000)
        return interpret_response(operation, response, self.redact, write=write)


def resource_path(doctype, name=None):
    path = f"/api/resource/{quote(doctype, safe='')}"
    return path if name is None else f"{path}/{quote(str(name), safe='')}"


def method_path(method):
    return f"/api/method/{method}"


def checked_base_url(base_url):
    url = (base_url or "").strip().rstrip("/")
    if not url:
        raise ConfigurationError("the ERPNext URL is not set")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"the ERPNext URL {url!r} is not an http(s) address")
    # Users paste desk or API URLs (https://erp.example.com/app/customer); the client adds /api itself.
    return f"{parts.scheme}://{parts.netloc}"


class _TokenAuth(requests.auth.AuthBase):
    """``Authorization: token <key>:<secret>``; no ``repr`` or ``vars()`` shows the secret."""

    __slots__ = ("key", "secret")

    def __init__(self, key, secret):
        self.key = key
        self.secret = secret

    def __call__(self, request):
        request.headers["Authorization"] = f"token {self.key}:{self.secret}"
        return request

    def __repr__(self):
        return f"<token {self.key}:***>"
