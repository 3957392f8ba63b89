"""Checking what visitors type: every field has a length limit and a clear Dutch message.

Validators return the cleaned values and a dict field → message; an empty dict means valid.
Text is NFC-normalised; control characters and bidirectional overrides (used to disguise text)
are refused. One-line fields (they go into mail headers) also refuse every line separator
str.splitlines knows (U+2028 and U+2029 included) and RFC 2047 encoded words (`=?utf-8?q?…?=`),
which the e-mail library would decode into header text. Anything that passes is still escaped
wherever it is shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from email_validator import EmailNotValidError, validate_email

from ..mail import ENCODED_WORD, LINE_BREAKS
from ..subscribers import EMAIL_MAX_LENGTH

NAME_MAX, SUBJECT_MAX, MESSAGE_MAX = 100, 150, 5000
HONEYPOT_FIELD = "website"
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

Errors = dict[str, str]


def honeypot_filled(form: Mapping[str, str]) -> bool:
    """People never see the honeypot field; software that fills in every field does."""
    return bool(form.get(HONEYPOT_FIELD, "").strip())


def _bad_characters(value: str, allow_newlines: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any((unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI_CONTROLS
               or (not allow_newlines and ch in LINE_BREAKS) for ch in value)


def clean_text(form: Mapping[str, str], field: str, label: str, max_length: int, errors: Errors,
               multiline: bool = False) -> str:
    value = unicodedata.normalize("NFC", form.get(field, "")).strip()
    if multiline:
        value = value.replace("\r\n", "\n")
    if not value:
        errors[field] = f"Vul {label} in."
    elif len(value) > max_length:
        errors[field] = f"{label[0].upper()}{label[1:]} is te lang: {len(value)} tekens, maximaal {max_length}."
    elif _bad_characters(value, multiline):
        errors[field] = f"{label[0].upper()}{label[1:]} bevat onzichtbare stuurtekens. Typ de tekst opnieuw."
    elif not multiline and ENCODED_WORD.search(value):
        errors[field] = (f"{label[0].upper()}{label[1:]} bevat een code als =?utf-8?q?…?=. "
                         "Typ de tekst zonder zo'n code.")
    return value


def clean_email(form: Mapping[str, str], errors: Errors, field: str = "email") -> str:
    """A syntactically valid address in ASCII (our SMTP path does not do SMTPUTF8), lower case."""
    raw = form.get(field, "").strip()
    if any(ch in LINE_BREAKS for ch in raw) or ENCODED_WORD.search(raw):
        errors[field] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
        return raw
    if not raw:
        errors[field] = "Vul uw e-mailadres in."
        return raw
    if len(raw) > EMAIL_MAX_LENGTH:
        errors[field] = f"Het e-mailadres is te lang: {len(raw)} tekens, maximaal {EMAIL_MAX_LENGTH}."
        return raw[:EMAIL_MAX_LENGTH]
    try:
        checked = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        if any(ord(ch) > 127 for ch in raw.partition("@")[0]):
            errors[field] = ("Het deel vóór de @ mag alleen gewone letters (zonder accenten), cijfers en "
                             "tekens als . - _ + bevatten.")
        else:
            errors[field] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
        return raw
    return checked.ascii_email.lower()


def clean_signup(form: Mapping[str, str], signup_lists: Iterable[str]) -> tuple[dict, Errors]:
    errors: Errors = {}
    email = clean_email(form, errors)
    signup_lists = list(signup_lists)
    list_name = form.get("list", "").strip() or signup_lists[0]
    if list_name not in signup_lists:
        errors["list"] = "Kies een van de nieuwsbrieven uit de lijst."
    return {"email": email, "list": list_name}, errors


def clean_contact(form: Mapping[str, str]) -> tuple[dict, Errors]:
    errors: Errors = {}
    values = {
        "name": clean_text(form, "name", "uw naam", NAME_MAX, errors),
        "email": clean_email(form, errors),
        "subject": clean_text(form, "subject", "het onderwerp", SUBJECT_MAX, errors),
        "message": clean_text(form, "message", "uw bericht", MESSAGE_MAX, errors, multiline=True),
    }
    return values, errors
