"""The service's addresses (Dutch, like the site): sign-up, confirmation, unsubscribe, contact, health."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, request
from flask_limiter import Limiter
from sqlalchemy.exc import SQLAlchemyError

from .. import unsubscribe_queue
from ..db.database import schema_revision, waiting_at_most
from ..db.identity import canonical_email
from ..errors import DorpspleinError
from ..subscribers import (
    CONFIRMED,
    PENDING,
    ConfirmOutcome,
    confirm,
    sign_up,
    subscriber_by_key,
    unsubscribe,
)
from .app import error_page, from_the_site, render, state
from .config import path_of
from .contact import receive_message
from .outbox import enqueue
from .queued_mail import ALREADY_SUBSCRIBED, CONFIRMATION
from .tokens import InvalidToken, confirm_url, read_confirm_token, read_unsubscribe_token, unsubscribe_url
from .validation import clean_contact, clean_signup, honeypot_filled

logger = logging.getLogger(__name__)

ONE_CLICK = "One-Click"  # RFC 8058: the POST body carries List-Unsubscribe=One-Click

BAD_LINK = ("Deze link werkt niet", "De link is niet compleet of klopt niet. Gebruik de hele link uit de e-mail; "
            "kopieer hem eventueel in zijn geheel naar de adresbalk van uw browser.")
EXPIRED_LINK = ("Deze link is verlopen", "De bevestigingslink is {hours} uur geldig en die tijd is voorbij. "
                "Meld u opnieuw aan via de website; u krijgt dan een nieuwe link.")
USED_LINK = ("Deze link is al gebruikt", "Met deze link is uw aanmelding al bevestigd. U hoeft niets meer te doen.")
STALE_LINK = ("Deze link werkt niet meer", "Deze aanmelding bestaat niet meer of is vervangen. "
              "Meld u opnieuw aan via de website als u de nieuwsbrief wilt ontvangen.")


def _checked_confirmation(token: str):
    """The token and its subscriber, or the error page that explains why the link does not work."""
    config, now = state().config, state().clock()
    try:
        data = read_confirm_token(config.secret_key, token)
    except InvalidToken:
        return None, None, error_page(400, *BAD_LINK)
    if now - data.issued_at > config.confirm_max_age:
        title, text = EXPIRED_LINK
        return None, None, error_page(410, title, text.format(hours=config.confirm_hours))
    subscriber = subscriber_by_key(state().engine, data.key)
    if subscriber is not None and subscriber.status == CONFIRMED:
        return None, None, error_page(410, *USED_LINK)
    if subscriber is None or subscriber.status != PENDING or subscriber.nonce != data.nonce:
        return None, None, error_page(410, *STALE_LINK)
    return data, subscriber, None


def register_views(app: Flask, limiter: Limiter) -> None:
    """Every address under FORMS_URL's path (/formulieren on the site's origin), nothing outside it."""
    config = app.extensions["dorpsplein_forms"].config
    rate_limit = limiter.shared_limit(config.rate_limit, scope="forms")  # one budget per client for all forms
    views = Blueprint("forms", __name__, url_prefix=path_of(config.forms_url) or None)

    @views.post("/aanmelden")
    @rate_limit
    @from_the_site
    def signup():
        if honeypot_filled(request.form):  # answer as usual, so the robot learns nothing
            logger.info("sign-up with the honeypot field filled in: ignored")
            return render("aanmelden_bedankt.html")
        values, errors = clean_signup(request.form, config.signup_lists)
        if errors:
            return render("aanmelden_fout.html", 422, form_values=values, form_errors=errors)
        now = state().clock()

        def queue_mail(conn, subscriber):
            payload = {"to": subscriber.email, "list": subscriber.list_name, "at": now.isoformat()}
            if subscriber.status == CONFIRMED:
                kind, expires = ALREADY_SUBSCRIBED, None
                payload["link"] = unsubscribe_url(config.forms_url, config.secret_key, subscriber.key)
            else:
                kind, expires = CONFIRMATION, now + config.confirm_max_age
                payload["link"] = confirm_url(config.forms_url, config.secret_key, subscriber.key, subscriber.nonce,
                                              config.consent_version)
            enqueue(conn, kind, payload, canonical_email(subscriber.email), now, expires_at=expires)

        # The row, the one-mail-per-interval claim and the queued e-mail: one transaction.
        subscriber, mailed = sign_up(state().engine, values["email"], values["list"], now, config.confirm_interval,
                                     queue_mail)
        if mailed:
            state().outbox.wake()
        else:  # the same answer: nothing to learn from it
            logger.info("sign-up of subscriber %s: e-mailed less than %s ago, not again", subscriber.key,
                        config.confirm_interval)
        return render("aanmelden_bedankt.html")

    @views.get("/bevestigen/<token>")
    def confirm_page(token):
        data, subscriber, problem = _checked_confirmation(token)
        if problem:
            return problem
        return render("bevestigen.html", email=subscriber.email,
                      list_label=config.newsletter_lists.get(subscriber.list_name, subscriber.list_name))

    @views.post("/bevestigen/<token>")
    @from_the_site
    def confirm_subscription(token):
        data, subscriber, problem = _checked_confirmation(token)
        if problem:
            return problem
        outcome = confirm(state().engine, data.key, data.nonce, data.consent_version, state().clock())
        if outcome is ConfirmOutcome.ALREADY_CONFIRMED:
            return error_page(410, *USED_LINK)
        if outcome is ConfirmOutcome.INVALID:
            return error_page(410, *STALE_LINK)
        return render("bevestigd.html", unsubscribe_link=unsubscribe_url(config.forms_url, config.secret_key,
                                                                         data.key),
                      list_label=config.newsletter_lists.get(subscriber.list_name, subscriber.list_name))

    @views.get("/afmelden/<token>")
    def unsubscribe_page(token):
        try:
            key = read_unsubscribe_token(config.secret_key, token)
        except InvalidToken:
            return error_page(400, *BAD_LINK)
        subscriber = subscriber_by_key(state().engine, key)
        done = subscriber is None or subscriber.status not in (PENDING, CONFIRMED)
        label = config.newsletter_lists.get(subscriber.list_name, "") if subscriber else ""
        return render("afmelden.html", already=done, list_label=label)

    # RFC 8058 one-click: mail providers POST here without cookies, login or Origin; so does our button.
    @views.post("/afmelden/<token>")
    @limiter.exempt
    def unsubscribe_now(token):
        try:
            key = read_unsubscribe_token(config.secret_key, token)
        except InvalidToken:
            return error_page(400, *BAD_LINK)
        if request.form.get("List-Unsubscribe") != ONE_CLICK:
            return error_page(400, "Afmelden niet gelukt", "Gebruik de knop 'Afmelden' op de vorige pagina.")
        now = state().clock()
        try:
            unsubscribe(waiting_at_most(state().engine, config.unsubscribe_wait), key, now)
        except SQLAlchemyError as exc:  # busy, full or gone: kept on disk, applied when the database is back
            try:
                unsubscribe_queue.append(config.unsubscribe_queue, key, now)
            except OSError as error:
                logger.error("unsubscribe lost: database (%s) and queue %s (%s) both failed",
                             exc, config.unsubscribe_queue, error)
                return error_page(503)
            logger.warning("unsubscribe queued in %s: the database cannot take it now (%s)",
                           config.unsubscribe_queue, exc)
        else:
            apply_queued_unsubscribes()
        return render("afgemeld.html")

    @views.post("/contact")
    @rate_limit
    @from_the_site
    def contact():
        if honeypot_filled(request.form):
            logger.info("contact message with the honeypot field filled in: ignored")
            return render("contact_bedankt.html", name="")
        values, errors = clean_contact(request.form)
        if errors:
            return render("contact_fout.html", 422, form_values=values, form_errors=errors)
        now = state().clock()
        receive_message(state().outbox, values, now)
        return render("contact_bedankt.html", name=values["name"])

    @views.get("/gezondheid")
    @limiter.exempt
    def health():
        try:
            revision = schema_revision(state().engine)
            apply_queued_unsubscribes()
        except SQLAlchemyError as exc:
            logger.error("health check: database unavailable: %s", exc)
            return jsonify(status="error", database="unavailable"), 503
        return jsonify(status="ok", database="ok", schema_version=revision)

    app.register_blueprint(views)


def apply_queued_unsubscribes() -> None:
    """The database takes writes again: empty the unsubscribe queue (logged, never fatal for the request)."""
    path = state().config.unsubscribe_queue
    if unsubscribe_queue.waiting(path):
        try:
            unsubscribe_queue.apply(path, state().engine, unsubscribe)
        except DorpspleinError as exc:
            logger.warning("%s", exc)
