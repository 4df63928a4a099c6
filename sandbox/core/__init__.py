"""Parts every sandbox simulator shares: HTTP server, fault injection, request recording, admin API.

Nothing in here knows about a particular remote system; a simulator subclasses
:class:`~sandbox.core.simulator.Simulator` and supplies the routes.
"""

from .faults import FAULT_KINDS, Fault, FaultInjector, parse_fault_spec
from .messages import NO_REPLY, NoReply, Request, Response
from .recorder import RecordedRequest, RequestRecorder
from .simulator import Route, Simulator

__all__ = [
    "FAULT_KINDS",
    "Fault",
    "FaultInjector",
    "NO_REPLY",
    "NoReply",
    "RecordedRequest",
    "Request",
    "RequestRecorder",
    "Response",
    "Route",
    "Simulator",
    "parse_fault_spec",
]
