"""Make the repository's pure-Python pieces importable without Odoo.

The addons' ``__init__`` imports Odoo, so their Odoo-free API clients are registered here as
top-level packages straight from their folders: ``metakocka_api`` is
``metakocka_connector/metakocka_api``.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_FREE_PACKAGES = {
    "metakocka_api": ROOT / "metakocka_connector" / "metakocka_api",
    "erpnext_api": ROOT / "erpnext_customer_sync" / "erpnext_api",
}

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

for name, folder in ODOO_FREE_PACKAGES.items():
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
