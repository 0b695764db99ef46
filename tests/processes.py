"""Test helper: which processes this one has left running."""

import os
from pathlib import Path


def children() -> set[int]:
    """This process's live children (zombies included), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found |= {int(pid) for pid in (task / "children").read_text().split()}
        except FileNotFoundError:   # a thread that ended while we looked (dask's, say)
            continue
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
