"""A Metakocka REST API simulator: the real quirks, state, and fault injection.

See ``python -m sandbox.metakocka --help`` and :class:`MetakockaSimulator`.
"""

from .simulator import MetakockaSimulator

__all__ = ["MetakockaSimulator"]
