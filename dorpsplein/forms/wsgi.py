"""The production entry point for a WSGI server, e.g. `gunicorn 'dorpsplein.forms.wsgi:app'`.

Reads publishconf.py and the environment; refuses to start without DORPSPLEIN_SECRET_KEY and
DORPSPLEIN_SMTP_URL.
"""

from .service import build_app

app = build_app(production=True)
