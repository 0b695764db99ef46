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


class NewChildren:
    """Children started since this object was made (other tests' helpers, such as a dask
    resource tracker, may legitimately outlive them)."""

    def __init__(self) -> None:
        self.before = children()

    def __call__(self) -> set[int]:
        return children() - self.before
