from . import test_bulk
from . import test_deletions
from . import test_pull
from . import test_push
from . import test_security
from . import test_settings
from . import test_webhook
from . import test_tours
