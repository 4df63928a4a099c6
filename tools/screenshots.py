#!/usr/bin/env python3
"""Walk through a running demo in headless Chromium as a new user would, with a screenshot of each
screen for the README (docs/*.png).

    python3 tools/screenshots.py [--url http://localhost:8069] [--db connectors_demo] [--out docs]

Logs in as admin/admin, then: the Metakocka settings; an order synced with its button, then fulfilled
with a tracking number from its Fulfil dialog; a bulk run of
the orders list to 100 %; the import screen; "Sync from ERPNext" on the contacts list and a linked
contact. Each step waits until the screen shows what it should, so a step that does not work stops
the walk with the selector it waited for.
Talks to Chromium over its DevTools protocol with websocket-client (the package Odoo's own browser
tests use). Run it while `python3 tools/demo.py` is up.
"""

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))
from odoo_rpc import OdooRpc, free_port, wait_until  # noqa: E402

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
                  "--window-size=1440,900"]


def walk_through(browser, odoo, url, out):
    """Do what a new user does first, through the screens, and take a picture of each."""

    def shot(name):
        browser.screenshot(out / name)
        print(f"saved {out / name}", flush=True)

    # The first screen of a new database waits for Odoo to build its assets.
    browser.open(f"{url}/odoo/settings#metakocka_connector", ".o_field_widget[name='metakocka_api_url']", 180)
    shot("settings.png")

    order = odoo.call("sale.order", "search", [("state", "=", "sale")], limit=1, order="id")[0]
    browser.open(f"{url}/odoo/action-sale.action_orders/{order}", "button[name='action_metakocka_sync']")
    browser.click("button[name='action_metakocka_sync']")
    browser.wait_for(".o_field_widget[name='metakocka_state'] .badge.text-bg-success")
    browser.click(".o_notebook .nav-link[name='metakocka']")
    browser.wait_for(".o_field_widget[name='metakocka_count_code'] span:not(:empty)")
    shot("order.png")

    browser.click("button[name='action_metakocka_fulfil']")
    browser.wait_for(".modal .o_field_widget[name='line_ids'] .o_data_row")
    browser.type(".modal .o_field_widget[name='tracking_ref'] input", "TRK-1")
    browser.click(".modal .modal-footer button[name='action_fulfil']")
    sms_notice = ".modal button[name='dont_send_sms']"  # Odoo's one-time notice on a company's first delivery
    browser.wait_for(f".o_notification, {sms_notice}")
    if browser.evaluate(f"!!document.querySelector({json.dumps(sms_notice)})"):
        browser.click(sms_notice)
    wait_until(lambda: odoo.call("metakocka.fulfilment", "search", [("order_id", "=", order),
                                                                    ("count_code", "!=", False)]), 120,
               "the fulfilment sent by the scheduled action")
    browser.open(f"{url}/odoo/action-sale.action_orders/{order}", ".o_notebook .nav-link[name='metakocka']")
    browser.click(".o_notebook .nav-link[name='metakocka']")
    browser.wait_for(".o_field_widget[name='metakocka_fulfilment_ids'] .o_data_row")
    shot("fulfilment.png")

    browser.open(f"{url}/odoo/action-sale.action_orders", ".o_list_view .o_data_row")
    browser.click(".o_list_view thead .o_list_record_selector input")
    browser.click(".o_cp_action_menus button .fa-cog")
    browser.click_text(".o-dropdown--menu .o-dropdown-item", "Sync to Metakocka")
    browser.wait_for(".o_form_view .o_field_widget[name='progress']")
    run = odoo.call("metakocka.sync.run", "search", [], limit=1, order="id desc")[0]
    wait_until(lambda: odoo.call("metakocka.sync.run", "read", [run], ["state"])[0]["state"] == "done", 120,
               "the bulk run")
    browser.open(f"{url}/odoo/action-metakocka_connector.action_metakocka_sync_run/{run}",
                 ".o_field_widget[name='progress'] .o_progressbar")
    shot("bulk-run.png")

    browser.open(f"{url}/odoo/action-metakocka_connector.action_server_open_import",
                 ".o_field_widget[name='line_ids'] .o_data_row")
    shot("import.png")

    browser.open(f"{url}/odoo/contacts?view_type=list", "button[name='action_erpnext_pull']")
    browser.click("button[name='action_erpnext_pull']")
    wait_until(lambda: not odoo.call("erpnext.sync.run", "search", [("state", "in", ("queued", "running"))]), 300,
               "the ERPNext sync")
    browser.wait_for(".o_notification", timeout=60)  # the result, delivered by Odoo's bus
    browser.open(f"{url}/odoo/contacts?view_type=list", ".o_list_view td[name='erpnext_id']:not(:empty)")
    shot("contacts.png")

    linked = odoo.call("res.partner", "search", [("erpnext_id", "!=", False), ("is_company", "=", True)], limit=1)
    browser.open(f"{url}/odoo/contacts/{linked[0]}", "button[name='action_erpnext_open_link']")
    shot("contact.png")


class Browser:
    def __init__(self):
        binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
        if not binary:
            sys.exit("Chromium is not installed (apt-get install chromium)")
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="screenshots-chromium-")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--remote-debugging-port={self.port}", f"--user-data-dir={self.profile}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._page_socket_url, 30, "Chromium to start")
        self.socket = websocket.create_connection(self._page_socket_url(), timeout=30)
        self.ids = itertools.count(1)
        self.send("Page.enable")

    def _page_socket_url(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2) as response:
                targets = json.load(response)
        except OSError:
            return None
        return next((target["webSocketDebuggerUrl"] for target in targets if target["type"] == "page"), None)

    def send(self, method, **params):
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def open(self, url, ready_selector, timeout=60):
        self.send("Page.navigate", url=url)
        self.wait_for(ready_selector, timeout)

    def wait_for(self, selector, timeout=60):
        wait_until(lambda: self.evaluate(f"!!document.querySelector({json.dumps(selector)})"), timeout, selector)
        time.sleep(1.5)  # let animations and late fields settle

    def click(self, selector):
        self.wait_for(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def type(self, selector, text):
        """Type ``text`` into the input ``selector`` as a person would (Odoo's fields read input and change)."""
        self.wait_for(selector)
        self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); el.focus(); "
            f"el.value = {json.dumps(text)}; el.dispatchEvent(new Event('input', {{bubbles: true}})); "
            f"el.dispatchEvent(new Event('change', {{bubbles: true}})); }})()")

    def click_text(self, selector, text):
        """Click the element matching ``selector`` whose text is exactly ``text``."""
        self.wait_for(selector)
        found = self.evaluate(
            f"(() => {{ const el = [...document.querySelectorAll({json.dumps(selector)})]"
            f".find(e => e.textContent.trim() === {json.dumps(text)}); if (el) el.click(); return !!el; }})()")
        if not found:
            raise RuntimeError(f"no {selector} says {text!r}")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="connectors_demo")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs"))
    args = parser.parse_args()

    odoo = OdooRpc(args.url, args.db)
    wait_until(odoo.ready, 60, "Odoo to answer")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
        browser.open(f"{args.url}/web/login?db={args.db}", "input[name='login']")
        browser.evaluate("document.querySelector(\"input[name='login']\").value = 'admin';"
                         "document.querySelector(\"input[name='password']\").value = 'admin';"
                         "document.querySelector('form.oe_login_form').submit();")
        wait_until(lambda: browser.evaluate("location.pathname.startsWith('/odoo')"), 30, "the login")
        walk_through(browser, odoo, args.url, out)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
