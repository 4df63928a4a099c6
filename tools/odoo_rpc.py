"""A small XML-RPC client for a running Odoo, and helpers shared by the tools that drive one."""

import socket
import time
import xmlrpc.client


class OdooRpc:
    """``call(model, method, *args, **kwargs)`` as a logged-in user of one database."""

    def __init__(self, url, db, login="admin", password="admin"):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.uid = None
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def ready(self):
        """True once Odoo answers and the login works."""
        try:
            self.uid = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").authenticate(
                self.db, self.login, self.password, {})
        except (OSError, xmlrpc.client.Error):
            return False
        return bool(self.uid)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


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
