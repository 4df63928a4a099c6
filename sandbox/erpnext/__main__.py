"""Run the ERPNext simulator: ``python -m sandbox.erpnext --port 8780``; Ctrl-C (or SIGTERM) stops it."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from ..core import parse_fault_spec
from .clock import DEFAULT_TIME_ZONE
from .seed import DEFAULT_API_USER
from .simulator import DEFAULT_API_KEY, DEFAULT_API_SECRET, ERPNextSimulator
from .store import SiteSettings

DEFAULT_PORT = 8780


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.erpnext", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks a free port")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--api-secret", default=DEFAULT_API_SECRET)
    parser.add_argument("--api-user", default=DEFAULT_API_USER, help="the user the API key belongs to")
    parser.add_argument("--time-zone", default=DEFAULT_TIME_ZONE, help="the site's system time zone")
    parser.add_argument("--naming", choices=("customer_name", "naming_series"), default="customer_name",
                        help="Selling Settings 'Customer Naming By'")
    parser.add_argument("--frappe-version", type=int, choices=(14, 15), default=15)
    parser.add_argument("--seed-customers", type=int, default=0, metavar="N",
                        help="add N generated customers with contacts and addresses")
    parser.add_argument("--no-samples", action="store_true", help="start without the four sample customers")
    parser.add_argument("--no-deleted-document-access", action="store_true",
                        help="the API user lacks System Manager, so Deleted Document answers 403")
    parser.add_argument("--webhook", action="append", default=[], metavar="URL",
                        help="send Customer after_insert/on_update/on_trash webhooks to URL")
    parser.add_argument("--webhook-secret", help="sign webhooks (X-Frappe-Webhook-Signature) with this secret")
    parser.add_argument("--fault", action="append", default=[], metavar="KIND[:key=value,...]",
                        help="arm a fault, e.g. http_error:status=503,times=2,ops=list:Customer")
    parser.add_argument("--quiet", action="store_true", help="do not log every request")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG,
                        format="%(asctime)s %(name)s %(message)s")
    settings = SiteSettings(customer_naming=args.naming, frappe_version=args.frappe_version)
    if args.no_deleted_document_access:
        settings.api_user_roles.discard("System Manager")
    sim = ERPNextSimulator(host=args.host, port=args.port, api_key=args.api_key, api_secret=args.api_secret,
                           api_user=args.api_user, time_zone=args.time_zone, settings=settings,
                           sample_customers=not args.no_samples, seed_customers=args.seed_customers)
    for url in args.webhook:
        sim.add_webhook(url, args.webhook_secret)
    for spec in args.fault:
        try:
            options = parse_fault_spec(spec)
            sim.add_fault(options.pop("kind"), **options)
        except (ValueError, TypeError) as error:
            parser.error(f"--fault {spec}: {error}")
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    sim.start()
    print(f"ERPNext sandbox at {sim.url} (token {args.api_key}:***, site time zone {sim.time_zone}, "
          f"{sim.count_docs('Customer')} customers)", flush=True)
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
