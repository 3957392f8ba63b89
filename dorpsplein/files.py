"""Writing a file so that no reader ever sees half of it: a temp file beside it, then a rename."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write the file atomically where its bytes differ or it is not there yet (True when written).

    An unchanged file keeps its modification time and inode: rsync, web caches and a rebuild see
    only what changed. Reading a file to compare also costs the file system less than emptying and
    refilling it."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data:
                return False
    except FileNotFoundError:
        pass
    write_atomically(path, data)
    return True


def write_json_atomically(path: Path, data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomically(path, text.encode("utf-8"))
