"""What tasks.py calls: find or make the edition, open the database, send; the subscriber admin commands."""

from __future__ import annotations

import os
from pathlib import Path

from .. import unsubscribe_queue
from ..db.database import database_url, open_database
from ..errors import DorpspleinError
from ..production import check_settings
from ..subscribers import unsubscribe
from .config import load_send_config
from .edition import edition_folder, latest_period, read_edition
from .oneoff import oneoff_edition
from .send import Progress, SendReport, send_edition


def find_edition(settings: dict, list_name: str, period: str | None = None, file: Path | None = None):
    if file is not None:
        if period:
            raise DorpspleinError("--period and --file: choose one (a one-off mailing has no period)")
        return oneoff_edition(file, list_name, settings)
    output = Path(settings["OUTPUT_PATH"])
    period = period or latest_period(output, list_name)
    if period is None:
        raise DorpspleinError(f"{output / 'nieuwsbrief'}: no edition for list {list_name!r}; build the site after "
                              "a period with posts has ended (python tasks.py build --production)")
    return read_edition(edition_folder(output, period, list_name))


def send(settings: dict, list_name: str, period: str | None = None, file: Path | None = None, dry_run: bool = False,
         progress: Progress | None = None, environ=os.environ, production: bool = False) -> tuple[object, SendReport]:
    if production:
        check_settings(settings)
    config = load_send_config(settings, environ, dry_run=dry_run, production=production)
    edition = find_edition(settings, list_name, period, file)
    engine = open_database(database_url(environ))
    if not dry_run:  # nobody who unsubscribed while the database was down gets this edition
        try:
            unsubscribe_queue.apply(unsubscribe_queue.queue_path(environ), engine, unsubscribe)
        except DorpspleinError as exc:
            raise DorpspleinError(f"{exc}. Nothing was sent: the edition waits until they are applied") from None
    report = send_edition(edition, engine, config, dry_run=dry_run, progress=progress)
    return edition, report
