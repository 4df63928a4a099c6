from . import metakocka_api
