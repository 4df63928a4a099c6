"""When and how long to wait before sending an ERPNext call again.

Only :class:`~.errors.TransientError` is retried: the client raises it only when the call surely
was not carried out (or is a read). Everything else, an unknown outcome included, goes to the
caller at once.
"""

import logging
import random
import time
from dataclasses import dataclass

import tenacity

from .errors import TransientError

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    #: Calls in all, the first one included.
    attempts: int = 5
    #: First back-off in seconds; each further one doubles, up to ``max_delay``.
    initial_delay: float = 0.5
    max_delay: float = 8.0
    #: Up to this many random seconds are added to each back-off, so that workers that failed
    #: together do not come back together.
    jitter: float = 0.25
    #: No retry is started that would end later than this many seconds after the first call.
    total_time: float = 30.0
    #: A ``Retry-After`` longer than this is not waited for: the error goes to the caller.
    max_retry_after: float = 60.0

    def retrying(self, description, sleep=time.sleep):
        """A tenacity controller for one call; ``description`` names the call in log lines."""
        return tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._retryable),
            wait=_Backoff(self),
            stop=tenacity.stop_after_attempt(self.attempts) | tenacity.stop_before_delay(self.total_time),
            before_sleep=lambda state: _log_retry(description, self.attempts, state),
            sleep=sleep,
            reraise=True,
        )

    def _retryable(self, exc):
        if not isinstance(exc, TransientError):
            return False
        return exc.retry_after is None or exc.retry_after <= self.max_retry_after


#: For tests and tools that must not sleep.
NO_RETRY = RetryPolicy(attempts=1)


class _Backoff(tenacity.wait.wait_base):
    """Exponential back-off with jitter, but never shorter than the server's ``Retry-After``."""

    def __init__(self, policy):
        self.policy = policy

    def __call__(self, retry_state):
        policy = self.policy
        exponential = policy.initial_delay * 2 ** (retry_state.attempt_number - 1)
        delay = min(policy.max_delay, exponential) + random.uniform(0, policy.jitter)
        retry_after = getattr(retry_state.outcome.exception(), "retry_after", None)
        return max(delay, retry_after or 0.0)


def _log_retry(description, attempts, state):
    _logger.warning(
        "ERPNext %s failed (%s); attempt %d of %d, retrying in %.2f s",
        description,
        state.outcome.exception(),
        state.attempt_number + 1,
        attempts,
        state.upcoming_sleep,
        extra={"erpnext_retry_delay": state.upcoming_sleep},
    )
