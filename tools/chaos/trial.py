"""One scenario's run: its time limit, the figures it measured and the checks it failed.

A scenario calls :meth:`Trial.figure` for what it measured, :meth:`Trial.check` for what must hold
and :meth:`Trial.wait` for anything it waits for (never longer than what is left of its limit), and
the suite prints :meth:`Trial.line`: ``chaos N title: figures, T s — ok`` or ``— FAILED: …``.
"""

import time

from .harness import poll


class Trial:
    def __init__(self, number, title, limit):
        self.number, self.title, self.limit = number, title, limit
        self.started = time.monotonic()
        self.figures = []
        self.failures = []

    def elapsed(self):
        return time.monotonic() - self.started

    def remaining(self):
        return self.limit - self.elapsed()

    def figure(self, text):
        self.figures.append(text)

    def check(self, condition, failure):
        """Record ``failure`` unless ``condition`` holds; returns ``condition``."""
        if not condition:
            self.failures.append(failure)
        return bool(condition)

    def wait(self, condition, seconds, interval=0.5):
        """Poll ``condition`` for at most ``seconds`` (and never past the scenario's limit)."""
        return poll(condition, min(seconds, self.remaining()), interval=interval)

    def wait_or_fail(self, condition, seconds, what, interval=0.5):
        """:meth:`wait`, recording a failure that names ``what`` and the seconds waited when it times out."""
        started = time.monotonic()
        reached = self.wait(condition, seconds, interval)
        return self.check(reached, f"{what} not within {time.monotonic() - started:.0f} s")

    @property
    def ok(self):
        return not self.failures

    def line(self):
        figures = ", ".join(self.figures)
        verdict = "ok" if self.ok else "FAILED: " + "; ".join(self.failures)
        return f"chaos {self.number} {self.title}: {figures}{', ' if figures else ''}{self.elapsed():.1f} s — {verdict}"
