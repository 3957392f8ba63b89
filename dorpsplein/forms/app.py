"""The forms service as a Flask (WSGI) app: `create_app(config)`; the routes live in views.py."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ..db.database import open_database
from ..mail import send_message
from ..navigation import site_navigation
from .config import FormsConfig, origin_of
from .outbox import Outbox
from .queued_mail import compose
from .ratelimit import STORAGE_URI, remote_key

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # the longest valid contact message is about 20 KB of UTF-8

# (title, explanation) per HTTP status; every page a visitor can reach is Dutch.
ERROR_TEXTS = {
    400: ("Ongeldig verzoek", "Het formulier kwam niet goed bij ons aan. Probeer het opnieuw vanaf de website."),
    403: ("Alleen vanaf onze website", "Dit formulier kan alleen worden verstuurd vanaf de website van {municipality}. "
                                       "Ga naar de website en probeer het daar opnieuw."),
    404: ("Pagina niet gevonden", "Op dit adres staat geen pagina. Controleer het adres of ga naar de website."),
    405: ("Dat kan hier niet", "Deze pagina kunt u niet op deze manier gebruiken. Ga naar de website."),
    413: ("Te veel tekst", "Het formulier bevat te veel tekst. Maak uw bericht korter en probeer het opnieuw."),
    429: ("Te veel pogingen", "U heeft in korte tijd te vaak een formulier verstuurd. Wacht even en probeer het "
                             "dan opnieuw."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Probeer het later opnieuw, of mail naar {contact}."),
}


@dataclass
class FormsState:
    """What the views need, attached to the app as `app.extensions["dorpsplein_forms"]`."""

    config: FormsConfig
    engine: Engine
    send: Callable[[EmailMessage], None]
    clock: Callable[[], datetime]
    outbox: Outbox  # every e-mail leaves through it, sent by its worker thread


def state() -> FormsState:
    return current_app.extensions["dorpsplein_forms"]


def render(template: str, status: int = 200, **context):
    """A page in the site's look: the site settings plus the page's own values."""
    config = state().config
    page = render_template(template, **(config.template_settings | site_navigation(config.site_root)), **context)
    return page, status, {"Content-Type": "text/html; charset=utf-8"}


def error_page(status: int, title: str | None = None, text: str | None = None):
    config = state().config
    default_title, default_text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    text = (text or default_text).format(municipality=config.template_settings["MUNICIPALITY"],
                                         contact=config.contact_email)
    return render("fout.html", status, title=title or default_title, text=text)


def from_the_site(view):
    """Only accept a POST from the site's own pages (Origin, or Referer when a browser sends no Origin)."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        origin = request.headers.get("Origin") or origin_of(request.headers.get("Referer", ""))
        if not origin or not state().config.origin_allowed(origin):
            logger.info("refused %s from origin %r", request.path, origin)
            return error_page(403)
        return view(*args, **kwargs)

    return checked


def log_instead_of_sending(message: EmailMessage) -> None:
    """Development without DORPSPLEIN_SMTP_URL: show the e-mail (and its link) in the log."""
    headers = "".join(f"{name}: {value}\n" for name, value in message.items() if name in ("To", "Subject", "Reply-To"))
    logger.warning("DORPSPLEIN_SMTP_URL is not set; this e-mail was not sent:\n%s\n%s", headers, message.get_content())


def _security_headers(config: FormsConfig):
    # Tokens are in our URLs: never send them to another site in a Referer. Not "no-referrer": browsers then
    # send `Origin: null` with our own forms' POSTs. Styles only from the site; no scripts at all.
    policy = (f"default-src 'none'; style-src {origin_of(config.site_url)}; img-src {origin_of(config.site_url)}; "
              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    return add_headers


def create_app(config: FormsConfig, engine: Engine | None = None,
               send: Callable[[EmailMessage], None] | None = None,
               clock: Callable[[], datetime] | None = None, outbox_worker: bool = True) -> Flask:
    """The service. `engine`, `send` and `clock` default to the configured database, SMTP and real time;
    the outbox worker thread starts with it unless `outbox_worker` is False."""
    from .views import register_views

    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, MAX_FORM_MEMORY_SIZE=MAX_BODY_BYTES)
    # Our pages first, then the theme: the site's form partials render here too, with errors filled in.
    app.jinja_loader = ChoiceLoader([FileSystemLoader(Path(__file__).parent / "templates"),
                                     FileSystemLoader(config.theme_templates)])
    if config.proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count, x_proto=config.proxy_count,
                                x_host=config.proxy_count)
    if send is None:
        send = functools.partial(send_message, config.smtp) if config.smtp else log_instead_of_sending
    engine = engine or open_database(config.database_url)
    clock = clock or (lambda: datetime.now(UTC))
    outbox = Outbox(engine, send, clock, functools.partial(compose, config))
    app.extensions["dorpsplein_forms"] = FormsState(config=config, engine=engine, send=send, clock=clock, outbox=outbox)
    if outbox_worker:
        outbox.start()
    # In memory, per process: enough for one service process; see README for several workers.
    limiter = Limiter(remote_key, app=app, storage_uri=STORAGE_URI, headers_enabled=True,
                      strategy="moving-window")
    app.after_request(_security_headers(config))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_page(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        logger.exception("unexpected error on %s %s", request.method, request.path)
        return error_page(500)

    register_views(app, limiter)
    return app
