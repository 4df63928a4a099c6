"""The Metakocka client of an Odoo company, from its settings or the container's environment."""

import os
from dataclasses import dataclass, field

from ..metakocka_api import ConfigurationError, RetryPolicy, get_client
from .catalog import Catalog
from ..models.res_company import DEFAULT_API_URL

ENV_API_URL = "METAKOCKA_API_URL"
ENV_COMPANY_ID = "METAKOCKA_COMPANY_ID"
ENV_API_KEY = "METAKOCKA_API_KEY"

#: A person waiting on a button gets an answer within seconds; background runs retry longer.
INTERACTIVE = {"retry": RetryPolicy(attempts=3, initial_delay=0.5, max_delay=2.0, total_time=10.0)}


@dataclass(frozen=True)
class Credentials:
    api_url: str
    company_id: str
    secret_key: str = field(repr=False)
    source: str  # "settings" or "environment"


def company_credentials(company):
    """The credentials a company syncs with.

    Values typed in Settings win; a company with no Metakocka company id and no key of its own takes
    ``METAKOCKA_API_URL``, ``METAKOCKA_COMPANY_ID`` and ``METAKOCKA_API_KEY`` from the environment.
    """
    company = company.sudo()
    typed_id = (company.metakocka_company_id or "").strip()
    typed_key = company.metakocka_secret_key or ""
    if typed_id or typed_key or not (os.environ.get(ENV_COMPANY_ID) or os.environ.get(ENV_API_KEY)):
        return Credentials(
            api_url=(company.metakocka_api_url or DEFAULT_API_URL).strip(),
            company_id=typed_id,
            secret_key=typed_key,
            source="settings",
        )
    return Credentials(
        api_url=(os.environ.get(ENV_API_URL) or company.metakocka_api_url or DEFAULT_API_URL).strip(),
        company_id=os.environ.get(ENV_COMPANY_ID, "").strip(),
        secret_key=os.environ.get(ENV_API_KEY, ""),
        source="environment",
    )


def client_for(company, **transport_options):
    """The shared Metakocka client of ``company``; raises ConfigurationError naming what is missing."""
    credentials = company_credentials(company)
    missing = [
        label for label, value in (
            ("API URL", credentials.api_url),
            ("company id", credentials.company_id),
            ("secret key", credentials.secret_key),
        ) if not value
    ]
    if missing:
        raise ConfigurationError(
            f"Metakocka is not configured for {company.name}: set the {' and the '.join(missing)} "
            "in Settings → Metakocka."
        )
    return get_client(credentials.api_url, credentials.company_id, credentials.secret_key, **transport_options)


class CompanyService:
    """Base of the services that work for one company with its Metakocka client (made when first used)."""

    def __init__(self, env, company, client_options=None):
        self.env = env
        self.company = company
        self.client_options = client_options or {}
        self._client = None

    _catalog = None

    @property
    def client(self):
        if self._client is None:
            self._client = client_for(self.company, **self.client_options)
        return self._client

    @property
    def catalog(self):
        """The company's partners and products in Metakocka, their links read once per service (a batch)."""
        if self._catalog is None:
            self._catalog = Catalog(self)
        return self._catalog
