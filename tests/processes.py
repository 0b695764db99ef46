"""Test helper: which processes this one has left running."""

import os
from pathlib import Path


def children(pid: int | None = None) -> set[int]:
    """The live children (zombies included) of `pid` (default: this process), from /proc."""
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid or os.getpid()}/task").iterdir())
    except OSError:   # the process is gone
        return found
    for task in tasks:
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except OSError:   # a thread that ended while we looked (dask's, say)
            continue
    return found


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`: its children, theirs, and so on."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        new = children(todo.pop()) - found
        found |= new
        todo += list(new)
    return found


def _forked(pid: int) -> bool:
    """A fork of this process (same command line), as actverify's workers are; helpers that
    other libraries spawn (multiprocessing's resource tracker, a dask nanny started by a
    thread an earlier test left behind) run another command line."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        if not command:   # a zombie has none: an unreaped child counts as a leak
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        return command == Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return False   # gone already


class NewChildren:
    """Forked children started since this object was made and still there (zombies
    included): what a leak of actverify's own workers looks like."""

    def __init__(self) -> None:
        self.before = children()

    def __call__(self) -> set[int]:
        return {pid for pid in children() - self.before if _forked(pid)}
