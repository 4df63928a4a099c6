from . import metakocka_import_wizard
from . import metakocka_status_wizard
from . import metakocka_fulfil_wizard
from . import sale_order_cancel
