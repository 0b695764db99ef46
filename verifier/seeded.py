"""Analysis only where Python's string hashing is fixed (PYTHONHASHSEED=0).

sympy's set algebra and simplification iterate over hashed containers, and a Symbol's hash
comes from its name, which Python hashes with a secret drawn per process unless
PYTHONHASHSEED fixes it: the same formula came out `refuted` in one run and `unknown` in the
next (3 of 179 machine-made trees, each `tan` of a piecewise function). So every answer is
computed in a process with the secret fixed: the command re-executes itself with
PYTHONHASHSEED=0 before it imports anything (`fix_hashing`, a few milliseconds), and a batch
started in a process that was not (the Python API, the pytest plugin) runs in a child
interpreter started with it (`in_seeded_child`: about 0.7 s more per batch for the imports;
set PYTHONHASHSEED=0 to avoid it).

What it does not do: fix hashing in the workers of a dask cluster (they run with whatever
their own interpreters were started with), or on a platform without os.execv (Windows).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False   # typing's own flag costs the re-executed command 7 ms to import
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# the child imports from exactly the parent's sys.path (given as its arguments), not from
# whatever `-c` would put first (the working directory)
_CHILD = "import sys; sys.path[:] = sys.argv[1:]; from verifier.seeded import _serve; _serve()"


def hashing_fixed() -> bool:
    """Whether this process hashes strings the same in every run (PYTHONHASHSEED=0)."""
    return sys.flags.hash_randomization == 0


def fix_hashing() -> None:
    """Re-execute this command with PYTHONHASHSEED=0 unless it runs so already (POSIX)."""
    if hashing_fixed() or os.name != "posix":
        return
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, sys.orig_argv)


def in_seeded_child(function: Callable[..., Any], kwargs: dict[str, Any], *,
                    on_result: Callable[[Any], None] | None = None) -> Any:
    """function(**kwargs) run in a child interpreter with PYTHONHASHSEED=0 (a module-level
    function; kwargs picklable), which gives `on_result` what the function gives its own
    `on_result` keyword, as it goes; an exception it raises is raised here."""
    import pickle      # here, not at the top: the command imports this module to
    import subprocess  # re-execute itself, before anything else
    environment = dict(os.environ, PYTHONHASHSEED="0")
    with subprocess.Popen([sys.executable, "-c", _CHILD, *sys.path], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, env=environment) as child:
        assert child.stdin is not None and child.stdout is not None
        pickle.dump((function.__module__, function.__qualname__, kwargs,
                     on_result is not None, os.getpid()), child.stdin)
        child.stdin.close()
        try:
            while True:
                kind, value = pickle.load(child.stdout)
                if kind == "item" and on_result is not None:
                    on_result(value)
                elif kind == "done":
                    return value
                elif kind == "error":
                    raise value
        except EOFError:
            raise RuntimeError(f"the seeded analysis process ended without an answer "
                               f"(exit status {child.wait()})") from None
        finally:
            child.kill()


def _serve() -> None:
    """The child: run the call sent on stdin, answer on stdout (the call's own prints go to
    stderr)."""
    import pickle

    from verifier.workers import die_with
    module, name, kwargs, streams, parent = pickle.load(sys.stdin.buffer)
    die_with(parent)
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)

    def send(kind: str, value: Any) -> None:
        pickle.dump((kind, value), answers)
        answers.flush()
    if streams:
        kwargs["on_result"] = lambda item: send("item", item)
    __import__(module)
    try:
        value = getattr(sys.modules[module], name)(**kwargs)
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        send("error", _picklable(exc))
        return
    send("done", value)


def _picklable(exc: BaseException) -> BaseException:
    """exc if it survives pickling (an exception with its own __init__ may not), else a
    RuntimeError with its text."""
    import pickle
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to round-trip
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
