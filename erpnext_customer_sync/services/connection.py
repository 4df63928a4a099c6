"""The ERPNext client of an Odoo company, from its settings or, for empty settings, the environment."""

import os
from dataclasses import dataclass, field

from ..erpnext_api import ConfigurationError, get_client

#: The earlier Next.js app's name of the URL variable comes first.
ENV_URLS = ("NEXT_PUBLIC_ERPNEXT_URL", "ERPNEXT_URL")
ENV_API_KEY = "ERPNEXT_API_KEY"
ENV_API_SECRET = "ERPNEXT_API_SECRET"


@dataclass(frozen=True)
class Credentials:
    url: str
    api_key: str
    api_secret: str = field(repr=False)
    #: Where each value came from: {"url": "settings" | "environment", ...}
    sources: dict = field(default_factory=dict)


def _environment_url():
    for name in ENV_URLS:
        if os.environ.get(name, "").strip():
            return os.environ[name].strip()
    return ""


def company_credentials(company):
    """The credentials ``company`` syncs with: each value typed in Settings, or, when that one is
    empty, the environment's (``NEXT_PUBLIC_ERPNEXT_URL`` or ``ERPNEXT_URL``, ``ERPNEXT_API_KEY``,
    ``ERPNEXT_API_SECRET``)."""
    company = company.sudo()
    values, sources = {}, {}
    for key, typed, environment in (
        ("url", company.erpnext_url, _environment_url),
        ("api_key", company.erpnext_api_key, lambda: os.environ.get(ENV_API_KEY, "").strip()),
        ("api_secret", company.erpnext_api_secret, lambda: os.environ.get(ENV_API_SECRET, "")),
    ):
        typed = (typed or "").strip()
        values[key], sources[key] = (typed, "settings") if typed else (environment(), "environment")
    return Credentials(values["url"], values["api_key"], values["api_secret"], sources)


def missing_settings(company):
    """Labels of the settings ``company`` lacks (after the environment filled what it could)."""
    credentials = company_credentials(company)
    return [label for label, value in (("ERPNext URL", credentials.url), ("API key", credentials.api_key),
                                       ("API secret", credentials.api_secret)) if not value]


def client_for(company, **transport_options):
    """The shared ERPNext client of ``company``; ConfigurationError naming what is missing."""
    missing = missing_settings(company)
    if missing:
        raise ConfigurationError(
            f"ERPNext is not configured for {company.name}: set the {', the '.join(missing)} in "
            "Settings → ERPNext (or the ERPNEXT_* environment variables)."
        )
    credentials = company_credentials(company)
    return get_client(credentials.url, credentials.api_key, credentials.api_secret, **transport_options)
