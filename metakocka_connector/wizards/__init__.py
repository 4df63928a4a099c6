from . import metakocka_import_wizard
