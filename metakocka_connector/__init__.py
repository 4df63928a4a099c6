from . import metakocka_api
from . import models
from . import wizards
