from . import test_client_in_odoo
from . import test_push
from . import test_duplicates
from . import test_runs
from . import test_pull
from . import test_settings_security
from . import test_tours
from . import test_review_defects
