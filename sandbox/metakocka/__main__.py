"""Run the Metakocka simulator: ``python -m sandbox.metakocka --port 8770``; Ctrl-C (or SIGTERM) stops it."""

from __future__ import annotations

import argparse

from ..core.cli import add_common_arguments, arm_faults, configure_logging, serve_until_stopped
from .seed import DEFAULT_API_USER
from .simulator import MetakockaSimulator

DEFAULT_PORT = 8770


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.metakocka", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks a free port")
    parser.add_argument("--company-id", default="1000")
    parser.add_argument("--secret-key", default="sandbox-secret")
    parser.add_argument("--state-file", help="SQLite file that keeps the data across restarts")
    parser.add_argument("--api-user-email", default=DEFAULT_API_USER)
    parser.add_argument("--no-seed", action="store_true", help="start without sample partners, products and stock")
    add_common_arguments(parser)
    args = parser.parse_args(argv)

    configure_logging(args.quiet)
    sim = MetakockaSimulator(host=args.host, port=args.port, company_id=args.company_id,
                             secret_key=args.secret_key, state_file=args.state_file,
                             seed=not args.no_seed, api_user_email=args.api_user_email)
    arm_faults(sim, args.fault, parser)
    sim.start()
    print(f"Metakocka sandbox at {sim.url} (company_id {sim.company_id})", flush=True)
    serve_until_stopped(sim)


if __name__ == "__main__":
    main()
