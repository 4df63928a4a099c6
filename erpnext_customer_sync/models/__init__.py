from . import erpnext_customer_link
from . import erpnext_sync_log
from . import erpnext_sync_run
from . import erpnext_webhook_event
from . import erpnext_webhook_delivery
from . import res_company
from . import res_config_settings
from . import res_partner
