"""A small XML-RPC client for a running Odoo, and helpers shared by the tools that drive one."""

import socket
import time
import xmlrpc.client


class OdooRpc:
    """``call(model, method, *args, **kwargs)`` as a logged-in user of one database.

    ``timeout``: seconds a call may take before it raises ``TimeoutError`` (None: no limit). One
    instance serves one thread at a time.
    """

    def __init__(self, url, db, login="admin", password="admin", timeout=None):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.timeout = timeout
        self.uid = None
        self.models = self._proxy("object")

    def _proxy(self, service):
        transport = TimeoutTransport(self.timeout) if self.timeout else None
        return xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/{service}", allow_none=True, transport=transport)

    def ready(self):
        """True once Odoo answers and the login works."""
        try:
            self.uid = self._proxy("common").authenticate(self.db, self.login, self.password, {})
        except (OSError, xmlrpc.client.Error):
            return False
        return bool(self.uid)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


class TimeoutTransport(xmlrpc.client.Transport):
    """An XML-RPC transport whose connections give up after ``timeout`` seconds."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    raise TimeoutError(f"gave up waiting {seconds} s for {what}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
