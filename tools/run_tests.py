#!/usr/bin/env python3
"""Run every test of the project: the ones that need no Odoo, then the addons' tests inside Odoo 18.

    python3 tools/run_tests.py [--no-install] [--no-pytest] [--no-odoo] [--no-chaos] [--tags T] [--keep-db]

1. Installs requirements.txt into this python3 (skip with --no-install).
2. Lints with ruff, then runs pytest on tests/ (simulators and API clients, no Odoo needed; both
   skipped with --no-pytest).
3. When this python3 imports Odoo 18: creates a throw-away PostgreSQL database, installs both addons
   (failing on any error, and on any warning that names one of them), then runs their tests with
   Odoo's test runner and prints a summary line. Without Odoo it says so and skips this part.
4. Then, with Odoo 18 too, the chaos suite (tools/chaos): real Odoo server processes on their own
   throw-away database, killed, restarted and doubled, against both simulators (skip with --no-chaos).

Database settings come from PGHOST, PGPORT, PGUSER and PGPASSWORD (defaults: 127.0.0.1, 5432, root,
no password). Exits non-zero when anything failed.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("metakocka_connector", "erpnext_customer_sync")

# "2026-11-21 19:40:00,123 4242 WARNING dbname odoo.modules.loading: message"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): ")
SKIPPED = re.compile(r": skipped \S+ : ")
FAILING_TEST = re.compile(r": (?:FAIL|ERROR): (?P<test>[\w.]+)")
TEST_TOTALS = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-install", action="store_true", help="do not pip-install requirements.txt")
    parser.add_argument("--no-odoo", action="store_true", help="skip the tests that run inside Odoo")
    parser.add_argument("--no-pytest", action="store_true", help="skip the tests that need no Odoo")
    parser.add_argument("--no-chaos", action="store_true",
                        help="skip the chaos suite against real Odoo servers (tools/chaos)")
    parser.add_argument("--keep-db", action="store_true", help="keep the Odoo test databases afterwards")
    parser.add_argument("--tags", help="only these Odoo test tags, e.g. /metakocka_connector:TestPushOrder "
                                       "(Odoo's --test-tags syntax); pytest still runs all its tests")
    args = parser.parse_args()

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    if not args.no_install:
        banner("Installing Python requirements")
        run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
             str(ROOT / "requirements.txt")], check=True)

    failures = []
    if not args.no_pytest and not lint():
        failures.append("lint")
    if args.no_pytest:
        print("PYTEST SKIPPED: --no-pytest was given.", flush=True)
    else:
        banner("Tests without Odoo (pytest)")
        if run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests")]) != 0:
            failures.append("pytest")

    failures += odoo_stages(args)

    banner("Result")
    if failures:
        print(f"FAILED: {', '.join(failures)}", flush=True)
        return 1
    print("All test suites passed.", flush=True)
    return 0


def lint():
    """ruff on the whole repository: syntax errors and pyflakes' findings (unused and undefined names...)."""
    banner("Lint (ruff)")
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "E9,F",
               "--per-file-ignores", "__init__.py:F401", str(ROOT)]
    passed = run(command) == 0
    print(f"lint: {'passed' if passed else 'FAILED'}", flush=True)
    return passed


def odoo_stages(args):
    """The addons' tests inside Odoo, then the chaos suite, when python3 imports Odoo 18; what failed."""
    reason = "--no-odoo was given" if args.no_odoo else odoo_missing_reason()
    if reason:
        hint = "" if args.no_odoo else " Install Odoo 18.0 for python3 (see README) to run them."
        print(f"ODOO TESTS SKIPPED: {reason}.{hint}", flush=True)
        print(f"CHAOS SUITE SKIPPED: it runs real Odoo servers, and {reason}.", flush=True)
        return []
    failures = []
    ensure_chromium()
    if not OdooTestRun(keep_db=args.keep_db, tags=args.tags).run():
        failures.append("odoo")
    if args.no_chaos:
        print("CHAOS SUITE SKIPPED: --no-chaos was given.", flush=True)
    else:
        banner("Chaos suite: real Odoo servers killed, restarted and doubled (tools/chaos)")
        if run([sys.executable, str(ROOT / "tools" / "chaos"), *(["--keep-db"] if args.keep_db else [])]) != 0:
            failures.append("chaos")
    return failures


def odoo_missing_reason():
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        capture_output=True, text=True,
    )
    if probe.returncode != 0:
        return "python3 cannot import odoo"
    if probe.stdout.strip() != "18":
        return f"python3 imports Odoo {probe.stdout.strip()}, not 18"
    return None


class OdooTestRun:
    """A throw-away database: install the addons, run their tests, drop it."""

    def __init__(self, keep_db=False, tags=None, prefix="odoo_connectors_test"):
        self.keep_db = keep_db
        self.tags = tags or ",".join(f"/{addon}" for addon in ADDONS)
        self.db_name = f"{prefix}_{int(time.time())}_{os.getpid()}"
        self.data_dir = tempfile.mkdtemp(prefix="odoo-connectors-data-")
        self.log_dir = Path(tempfile.mkdtemp(prefix="odoo-connectors-logs-"))
        self.db_args = odoo_db_args()

    def run(self):
        try:
            return self.install() and self.test()
        finally:
            if self.keep_db:
                print(f"Kept database {self.db_name} (data dir {self.data_dir}).", flush=True)
            else:
                self.drop()

    def odoo(self, log_name, *extra):
        command = [
            sys.executable, "-m", "odoo", "-d", self.db_name, *self.db_args,
            f"--addons-path={addons_path()}", f"--data-dir={self.data_dir}",
            f"--http-port={free_port()}", "--stop-after-init", "--without-demo=all",
            "--max-cron-threads=0", "--log-level=info", *extra,
        ]
        return run_logged(command, self.log_dir / log_name)

    def install(self):
        banner(f"Installing {', '.join(ADDONS)} into a new database {self.db_name}")
        rc, lines = self.odoo("install.log", "-i", ",".join(ADDONS))
        problems = [
            line for line in lines
            if (level := log_level(line)) in ("ERROR", "CRITICAL")
            or (level == "WARNING" and any(addon in line for addon in ADDONS))
        ]
        if rc != 0 or problems:
            print(f"Installation failed (exit code {rc}, {len(problems)} error/warning lines of ours); "
                  f"full log: {self.log_dir / 'install.log'}", flush=True)
            return False
        print("Both addons installed with no error and no warning of theirs.", flush=True)
        return True

    def test(self):
        banner("Tests inside Odoo (Odoo's test runner)")
        rc, lines = self.odoo("test.log", "-u", ",".join(ADDONS), "--test-enable", f"--test-tags={self.tags}")
        totals = [match for line in lines if (match := TEST_TOTALS.search(line))]
        error_lines = [line for line in lines if log_level(line) in ("ERROR", "CRITICAL")]
        if not totals:
            print(f"odoo: no test summary found (exit code {rc}); full log: {self.log_dir / 'test.log'}",
                  flush=True)
            return False
        last = totals[-1]
        run_count = int(last["run"])
        failed = int(last["failed"]) + int(last["errors"])
        skipped = sum(1 for line in lines if SKIPPED.search(line))
        # Odoo counts each failing subtest as a failure; the summary counts the tests that failed.
        failing_tests = len({match["test"] for line in lines if (match := FAILING_TEST.search(line))})
        failing_tests = failing_tests or failed
        # Printed alone on its line so that CI can read it like pytest's closing line.
        print(f"odoo: {run_count - failing_tests - skipped} passed, {failing_tests} failed, {skipped} skipped",
              flush=True)
        if rc != 0 or failed or error_lines or run_count == 0:
            print(f"Odoo tests failed: exit code {rc}, {failed} failed, {len(error_lines)} ERROR log lines, "
                  f"{run_count} run; full log: {self.log_dir / 'test.log'}", flush=True)
            return False
        return True

    def drop(self):
        drop_database(self.db_name)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def pg_settings():
    """PostgreSQL settings from the usual environment variables, with this machine's defaults."""
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER", "root"),
        "password": os.environ.get("PGPASSWORD") or None,
    }


def odoo_db_args():
    settings = pg_settings()
    args = [f"--db_host={settings['host']}", f"--db_port={settings['port']}", f"--db_user={settings['user']}"]
    if settings["password"]:
        args.append(f"--db_password={settings['password']}")
    return args


def drop_database(name):
    import psycopg2  # noqa: PLC0415 - only present where Odoo is

    params = {key: value for key, value in pg_settings().items() if value is not None}
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def ensure_chromium():
    """Odoo's browser tours need Chromium; install Debian's package when it is missing and we may."""
    if any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        banner("Installing Chromium for the browser tours (apt-get install chromium)")
        quiet = {"stdout": subprocess.DEVNULL}
        if subprocess.run(["apt-get", "update", "-qq"], **quiet).returncode == 0 and subprocess.run(
                ["apt-get", "install", "-y", "-qq", "chromium"], **quiet).returncode == 0:
            return
    print("WARNING: Chromium is missing and could not be installed: the browser tours will be skipped.",
          flush=True)


def addons_path():
    """Odoo's own addons folders (as it finds them by default) plus this repository."""
    import odoo  # noqa: PLC0415 - only called where Odoo is importable

    odoo_dir = Path(odoo.__file__).resolve().parent
    candidates = [odoo_dir / "addons", odoo_dir.parent / "addons", ROOT]
    return ",".join(str(path) for path in candidates if path.is_dir())


def run_logged(command, log_path):
    """Run Odoo, keeping its whole log in ``log_path`` and echoing what deserves attention:
    warnings, errors with their tracebacks, and test results. Interrupted, it stops Odoo too."""
    lines = []
    echoing = False
    with open(log_path, "w") as log, subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    ) as process:
        try:
            for line in process.stdout:
                log.write(line)
                lines.append(line.rstrip("\n"))
                level = log_level(line)
                if level is not None:
                    echoing = level in ("WARNING", "ERROR", "CRITICAL") or "odoo.tests" in line and (
                        "tests when loading" in line or "post-tests in" in line
                    )
                if echoing:
                    print(line, end="", flush=True)
        except BaseException:  # Ctrl-C or SIGTERM: Odoo must not go on installing or testing
            process.kill()
            raise
        rc = process.wait()
    return rc, lines


def log_level(line):
    match = LOG_LINE.match(line)
    return match["level"] if match else None


def run(command, check=False):
    completed = subprocess.run(command, cwd=ROOT)
    if check and completed.returncode != 0:
        sys.exit(f"command failed ({completed.returncode}): {' '.join(command)}")
    return completed.returncode


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def banner(title):
    print(f"\n=== {title} ===", flush=True)


if __name__ == "__main__":
    sys.exit(main())
