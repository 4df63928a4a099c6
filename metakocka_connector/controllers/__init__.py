from . import stock_webhook
