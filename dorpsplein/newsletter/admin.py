"""Administrator commands on the subscriber list: add one address, import a CSV, remove (erasure).

Addresses are compared in their canonical form (dorpsplein/db/identity.py): `A@VOORBEELD.NL` is `a@voorbeeld.nl`.

Every address added here needs a consent note (AVG art. 7: where and when the person agreed).
An import checks every row first and adds nothing when any row is wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Engine

from ..db.identity import canonical_email
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


def decode_csv(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a CSV file as staff save it (Excel: UTF-8 with or without BOM, or Windows-1252); and its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: Latin-1 maps every byte
        return data.decode("latin-1"), "Latin-1"


def csv_separator(header: str) -> str:
    """Dutch Excel writes `;` (the comma is the decimal sign), most other software `,`: the header line tells."""
    return ";" if header.count(";") > header.count(",") else ","


def read_csv(path: Path, default_list: str | None, lists: dict) -> list[ImportRow]:
    """Columns `email` and `consent_note` (required), `list` (else `default_list`); errors name file:line:column.

    UTF-8 (with or without BOM) or Windows-1252/Latin-1, separated by `,` or `;`; column names in any case.
    An address that appears twice (compared as db/identity.py does: case does not matter) is an error.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DorpspleinError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text, _encoding = decode_csv(path, data)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DorpspleinError(f"{path}:{line}: not readable as UTF-8 text ({exc.reason}); save it again as CSV "
                              "UTF-8") from None
    lines = text.splitlines(keepends=True)
    if not "".join(lines).strip():
        raise DorpspleinError(f"{path}:1: the file is empty; the first line must read email,consent_note[,list]")
    rows, errors, seen, line = [], [], {}, 1
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_separator(lines[0]), strict=True)
    try:
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or ()]
    except csv.Error as exc:
        raise DorpspleinError(f"{path}:1: not readable as CSV ({exc})") from None
    missing = {"email", "consent_note"} - set(reader.fieldnames)
    if missing:
        raise DorpspleinError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}; "
                              "the header must read email,consent_note[,list] (or with ; between the names)")
    try:
        for record in reader:
            line = reader.line_num
            if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
                continue  # Excel leaves empty lines (;;) at the end
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
            identity = (canonical_email(email), list_name)
            if identity in seen:
                errors.append(f"{path}:{line}: email: {email} is already on line {seen[identity]} "
                              "(letter case does not make another address)")
            seen.setdefault(identity, line)
            rows.append(ImportRow(line, email, list_name or "", note))
    except csv.Error as exc:  # the record after the last one read whole starts on the next line
        errors.append(f"{path}:{line + 1}: not readable as CSV ({exc})")
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
