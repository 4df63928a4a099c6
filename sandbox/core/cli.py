"""What every simulator's command line does: log, arm ``--fault`` options, serve until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from .faults import parse_fault_spec
from .simulator import Simulator


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fault", action="append", default=[], metavar="KIND[:key=value,...]",
                        help="arm a fault, e.g. http_error:status=503,times=2,ops=OP1|OP2")
    parser.add_argument("--quiet", action="store_true", help="do not log every request")


def configure_logging(quiet: bool) -> None:
    logging.basicConfig(level=logging.WARNING if quiet else logging.DEBUG,
                        format="%(asctime)s %(name)s %(message)s")


def arm_faults(sim: Simulator, specs: list[str], parser: argparse.ArgumentParser) -> None:
    """Arm each ``--fault`` spec; a bad one ends the program with argparse's usage error."""
    for spec in specs:
        try:
            options = parse_fault_spec(spec)
            sim.add_fault(options.pop("kind"), **options)
        except (ValueError, TypeError) as error:
            parser.error(f"--fault {spec}: {error}")


def serve_until_stopped(*sims: Simulator) -> None:
    """Block until Ctrl-C or SIGTERM, then stop the (already started) simulators, last first."""
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for sim in reversed(sims):
            sim.stop()
