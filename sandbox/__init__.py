"""Sandbox simulators of the remote APIs the connectors talk to (Metakocka, later ERPNext)."""
