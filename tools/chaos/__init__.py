"""The chaos suite: reliability checks against real Odoo server processes.

Odoo's test runner keeps each test in one rolled-back transaction, so commits, second cursors,
REPEATABLE READ conflicts, cron workers, killed processes and two servers on one database can only be
proven against real servers. ``python3 tools/chaos`` starts both simulators and one or two Odoo
servers on one throw-away database and drives them over XML-RPC as a user would (see
``__main__.py``; one module per scenario, ``harness.py`` for the processes).
"""
