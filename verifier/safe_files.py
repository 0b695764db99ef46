"""Writing files whose names and places a pull request may influence: never through a
symbolic link, never half-written.

Every file is written to a fresh temporary file in its directory (created with O_EXCL and
O_NOFOLLOW) and renamed over its name, so a crash or a full disk leaves the old file or none,
never a torn one. A destination that is a symbolic link, or not a regular file, is refused
with an InputError; so is a directory on the way that is a link (a committed
`reports/plots -> ~/.ssh`). Failures of the file system (read-only, full, no permission) are
InputErrors naming the path.

What it does not do: defend against another process racing to plant a link between the check
and the write (the rename itself never follows one), or confine a path the user typed.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from verifier.errors import InputError


def ensure_directory(directory: Path) -> Path:
    """Create `directory` (and its parents) if needed; refuse it if it, or a parent that had
    to be looked at, is a symbolic link or not a directory."""
    missing = []
    at = directory
    while not os.path.lexists(at):
        missing.append(at)
        if at.parent == at:
            break
        at = at.parent
    _refuse_link(at)
    if os.path.lexists(at) and not at.is_dir():
        raise InputError(f"{at}: is not a directory")
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            _refuse_link(path)
        except OSError as exc:
            raise InputError(f"{path}: cannot create the directory ({exc.strerror})") from None
    return directory


def check_writable(directory: Path) -> None:
    """Fail now, before any analysis, if files cannot be created in `directory`."""
    ensure_directory(directory)
    probe = directory / f".actverify-probe-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"{directory}: cannot write there ({exc.strerror})") from None


def check_destination(path: Path) -> None:
    """Refuse a destination that is a link or not a regular file, and a directory that
    cannot take it."""
    _refuse_special(path)
    check_writable(path.parent)


def write_file(path: Path, data: str | bytes) -> None:
    """Replace `path` with `data` (text is UTF-8) atomically, never through a link."""
    _refuse_special(path)
    ensure_directory(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.parent / f".{path.name[:40]}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            _write_all(fd, payload)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise InputError(f"{path}: cannot write the file ({exc.strerror})") from None


def append_file(path: Path, text: str) -> None:
    """Append to an existing regular file (GitHub's step summary), never through a link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"{path}: cannot append to it ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path}: is not a regular file")
        _write_all(fd, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot append to it ({exc.strerror})") from None
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:   # os.write may write less than asked
        view = view[os.write(fd, view):]


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise InputError(f"{path}: is a symbolic link; actverify does not write through links")


def _refuse_special(path: Path) -> None:
    _refuse_link(path)
    if os.path.lexists(path) and not path.is_file():
        raise InputError(f"{path}: exists and is not a regular file")
