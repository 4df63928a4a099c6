"""Run the ERPNext simulator: ``python -m sandbox.erpnext --port 8780``; Ctrl-C (or SIGTERM) stops it."""

from __future__ import annotations

import argparse

from ..core.cli import add_common_arguments, arm_faults, configure_logging, serve_until_stopped
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
    add_common_arguments(parser)
    args = parser.parse_args(argv)

    configure_logging(args.quiet)
    settings = SiteSettings(customer_naming=args.naming, frappe_version=args.frappe_version)
    if args.no_deleted_document_access:
        settings.api_user_roles.discard("System Manager")
    sim = ERPNextSimulator(host=args.host, port=args.port, api_key=args.api_key, api_secret=args.api_secret,
                           api_user=args.api_user, time_zone=args.time_zone, settings=settings,
                           sample_customers=not args.no_samples, seed_customers=args.seed_customers)
    for url in args.webhook:
        sim.add_webhook(url, args.webhook_secret)
    arm_faults(sim, args.fault, parser)
    sim.start()
    print(f"ERPNext sandbox at {sim.url} (token {args.api_key}:***, site time zone {sim.time_zone}, "
          f"{sim.count_docs('Customer')} customers)", flush=True)
    serve_until_stopped(sim)


if __name__ == "__main__":
    main()
