from . import metakocka_import_wizard
from . import metakocka_status_wizard
