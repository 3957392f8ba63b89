"""Administrator commands on the subscriber list: add one address, import a CSV, remove (erasure).

Every address added here needs a consent note (AVG art. 7: where and when the person agreed).
An import checks every row first and adds nothing when any row is wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Engine

from ..errors import DorpspleinError
from ..subscribers import add_confirmed, remove

MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    list_name: str
    consent_note: str


def clean_email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise DorpspleinError(f"{value!r} is not a valid e-mail address ({exc})") from None


def check_list(list_name: str, lists: dict) -> str:
    if list_name not in lists:
        raise DorpspleinError(f"list {list_name!r} does not exist; NEWSLETTER_LISTS has {', '.join(lists)}")
    return list_name


def add(engine: Engine, email: str, list_name: str, consent_note: str, lists: dict):
    if not (consent_note or "").strip():
        raise DorpspleinError("--consent is required: where and when did this person agree (AVG proof)?")
    return add_confirmed(engine, clean_email(email), check_list(list_name, lists), datetime.now(UTC),
                         consent_note, source="admin")


def read_csv(path: Path, default_list: str | None, lists: dict) -> list[ImportRow]:
    """Columns `email` and `consent_note` (required), `list` (else `default_list`); errors name file:line:column."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DorpspleinError(f"{path}: cannot read: {exc.strerror}") from None
    rows, errors = [], []
    with handle:
        reader = csv.DictReader(handle)
        missing = {"email", "consent_note"} - set(reader.fieldnames or ())
        if missing:
            raise DorpspleinError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}; "
                                  "the header must read email,consent_note[,list]")
        try:
            for record in reader:
                line = reader.line_num
                list_name = (record.get("list") or "").strip() or default_list
                note = (record.get("consent_note") or "").strip()
                try:
                    email = clean_email(record.get("email") or "")
                except DorpspleinError as exc:
                    errors.append(f"{path}:{line}: email: {exc}")
                    continue
                if not note:
                    errors.append(f"{path}:{line}: consent_note: empty; say where and when {email} agreed")
                if not list_name:
                    errors.append(f"{path}:{line}: list: empty and no --list given")
                elif list_name not in lists:
                    errors.append(f"{path}:{line}: list: {list_name!r} is not one of {', '.join(lists)}")
                rows.append(ImportRow(line, email, list_name or "", note))
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append(f"{path}:{reader.line_num}: not readable as UTF-8 CSV ({exc})")
    if errors:
        more = f"\n… and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise DorpspleinError(f"nothing imported, {len(errors)} problem(s):\n" + "\n".join(errors[:MAX_ERRORS_SHOWN])
                              + more)
    return rows


def import_csv(engine: Engine, path: Path, default_list: str | None, lists: dict) -> int:
    rows = read_csv(Path(path), default_list, lists)
    now = datetime.now(UTC)
    for row in rows:  # each upsert is idempotent: an interrupted import can simply be run again
        add_confirmed(engine, row.email, row.list_name, now, row.consent_note, source="import")
    return len(rows)


def remove_address(engine: Engine, email: str, list_name: str | None, lists: dict) -> list[str]:
    """Delete the address from one list or every list; returns the lists it was removed from."""
    email = email.strip()
    names = [check_list(list_name, lists)] if list_name else list(lists)
    return [name for name in names if remove(engine, email, name)]
