from . import erpnext_api
from . import controllers
from . import models
