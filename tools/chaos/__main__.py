"""Reliability checks against real Odoo server processes: ``python3 tools/chaos [--only N,M] [--keep-db]``.

Starts the Metakocka and ERPNext simulators on free ports, creates one throw-away database with both
addons, starts a real Odoo server on it (threaded, two cron workers; a second one for scenario 3),
configures the company over XML-RPC, then runs the scenarios, each with its own time limit:

1. a bulk push of 300 orders under 10 % transient faults (lost replies included);
2. the server SIGKILLed half-way through a bulk push, then started again;
3. two servers with cron workers on one bulk run of 600 orders;
4. orders Metakocka refuses, then the run's "Retry failed";
5. an order's "Sync to Metakocka" button pressed while the scheduled action is pushing it;
6. ERPNext: a first pull of 2 000 customers SIGKILLed half-way; a push whose read after the create failed;
7. linked orders cancelled in Odoo, sent to Metakocka after the commit by the order events' scheduled action;
8. an order's life on both sides: two deliveries with the "Fulfil" dialog, the tracking number after the invoice,
   a cancel with a reason, a status changed in Metakocka and pulled, an order refused for want of stock;
9. master data at scale: 1 000 customers and 2 000 products pulled twice, a customer changed in Odoo, the
   signed stock webhook and stock levels both ways.

Prints one line per scenario with what it measured and a closing ``chaos: N passed, N failed in T s``;
exits non-zero when a check failed. Every process started is stopped at the end, also on failure or
Ctrl-C, and the database dropped unless --keep-db.
"""

import argparse
import shutil
import signal
import sys
import time
import traceback
import xmlrpc.client
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chaos import (  # noqa: E402
    s1_bulk_push,
    s2_kill_restart,
    s3_two_servers,
    s4_refused_documents,
    s5_button_during_push,
    s6_erpnext,
    s7_order_events,
    s8_order_lifecycle,
    s9_master_data,
)
from chaos.harness import Lab  # noqa: E402
from chaos.trial import Trial  # noqa: E402

SCENARIOS = (s1_bulk_push, s2_kill_restart, s3_two_servers, s4_refused_documents, s5_button_during_push, s6_erpnext,
             s7_order_events, s8_order_lifecycle, s9_master_data)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 tools/chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only these scenarios, e.g. 1,4")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (and the logs) afterwards")
    args = parser.parse_args(argv)
    scenarios = chosen(parser, args.only)
    # Ctrl-C and a plain `kill` stop everything, even when started from a script that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    lab = Lab(keep_db=args.keep_db)
    trials = []
    try:
        print(lab.open(), flush=True)
        for scenario in scenarios:
            trials.append(run_scenario(lab, scenario))
            print(trials[-1].line(), flush=True)
    except KeyboardInterrupt:
        print("chaos: interrupted", flush=True)
    except Exception as exc:  # noqa: BLE001 - the setup failed; say why, then clean up
        print(f"chaos: setup failed: {describe(exc)}", flush=True)
    finally:
        lab.close()
    passed = sum(1 for trial in trials if trial.ok)
    failed = len(scenarios) - passed
    print(f"chaos: {passed} passed, {failed} failed in {time.monotonic() - started:.1f} s", flush=True)
    finish_logs(lab, keep=failed or args.keep_db)
    return 1 if failed else 0


def chosen(parser, only):
    if not only:
        return list(SCENARIOS)
    by_number = {scenario.NUMBER: scenario for scenario in SCENARIOS}
    try:
        numbers = [int(part) for part in only.split(",") if part.strip()]
    except ValueError:
        parser.error("--only takes scenario numbers separated by commas, e.g. 1,4")
    unknown = [number for number in numbers if number not in by_number]
    if unknown or not numbers:
        parser.error(f"no scenario {unknown or only}; there are {', '.join(map(str, by_number))}")
    return [by_number[number] for number in numbers]


def run_scenario(lab, scenario):
    """One scenario from a clean start: server A running, no fault armed in either simulator."""
    trial = Trial(scenario.NUMBER, scenario.TITLE, scenario.LIMIT)
    try:
        lab.prepare()
        scenario.run(lab, trial)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - a scenario that breaks is a failed scenario, the others go on
        trial.check(False, f"error: {describe(exc)}")
        traceback.print_exc(file=sys.stderr)
    trial.check(trial.remaining() >= 0, f"took longer than its limit of {trial.limit} s")
    return trial


def describe(exc):
    if isinstance(exc, xmlrpc.client.Fault):
        lines = [line for line in exc.faultString.strip().splitlines() if line.strip()]
        return f"Odoo answered: {lines[-1] if lines else exc.faultCode}"
    return f"{type(exc).__name__}: {exc}"


def finish_logs(lab, keep):
    if keep:
        print(f"chaos: logs kept in {lab.log_dir} (servers, simulators) and {lab.database.log_dir} (install)",
              flush=True)
        return
    shutil.rmtree(lab.log_dir, ignore_errors=True)
    shutil.rmtree(lab.database.log_dir, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
