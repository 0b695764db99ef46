"""The only memory a process keeps between activations, and how each activation starts afresh.

An answer must be a function of the activation alone, not of the activations a reused worker
analysed before it, nor of the run it is part of. sympy's answers depend on more than their
arguments: its cache hands back results built earlier, with the dummies of then, and a Dummy's
hash, name and sort order come from a process-wide counter on top of a base sympy draws at
random per process. Set operations and simplifications iterate over hashed containers, so the
same formula could come out `refuted` in one run and `unknown` in the next (it did: a machine-
made `tan(where(...))` at --jobs 2, by the jobs its worker had served before).

`memo(maxsize)` is the project's one cache decorator (functools.lru_cache, registered here);
`start_afresh(identity)`, called before each activation is parsed or analysed, empties every
memo and sympy's cache, forgets the facts sympy's assumption system cached on the long-lived
sympy objects of the project's modules (the variable symbols, module-level constants: a fact
cached there skips a query, and with it draws of sympy's random generator and the dummies the
query would make), seeds that generator, and restarts the Dummy numbering at a base derived
from `identity` (the activation's text), so equal inputs number their dummies alike in every
process, and dummies of two activations (say in a module-level structure sympy filled
lazily) never compare equal. The one other thing a process keeps from one activation to the
next is the byte strings hypothesis fed the cross-check's searches (verifier.crosscheck.
replayed): they depend on a search's length and settings alone, never on an activation.

What it does not do: undo state sympy keeps outside its cache and its objects' facts
(modules imported during an activation create their module-level dummies then: the parent's
warm-up imports what the analysis loads), or make Python's string hashing (PYTHONHASHSEED)
the same across runs (verifier.seeded does).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sympy as sp
from sympy.core.cache import clear_cache
from sympy.core.random import seed as seed_sympy_random

F = TypeVar("F", bound=Callable[..., Any])

_MEMOS: list[Any] = []
# sympy draws its base in [10**6, 9*10**6] and counts up from it: ours start far above, one
# block of 10**9 indices per activation (a block no analysis fills), the block chosen by a hash
_BLOCK = 10**9


def memo(maxsize: int) -> Callable[[F], F]:
    """functools.lru_cache(maxsize) for a pure step, emptied by `start_afresh`."""
    def register(step: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(step)
        _MEMOS.append(cached)
        return cached   # type: ignore[return-value]
    return register


def start_afresh(identity: str) -> None:
    """Forget everything computed for earlier activations and number dummies from a base
    that depends on `identity` alone."""
    for cached in _MEMOS:
        cached.cache_clear()
    for obj in _long_lived():
        if isinstance(obj, sp.Symbol):   # as Symbol.__xnew__ made it
            obj._assumptions = sp.Symbol._canonical_assumptions(**obj._assumptions_orig)[0]
        else:                            # as Basic.__new__ made it
            obj._assumptions = type(obj).default_assumptions
    clear_cache()   # last: the resets above may have cached something
    seed_sympy_random(0)
    digest = int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big")
    sp.Dummy._base_dummy_index = _BLOCK * (1 + digest)
    sp.Dummy._count = 0


_FOUND: dict[int, list[sp.Basic]] = {}   # len(sys.modules) -> the objects found then


def _long_lived() -> list[sp.Basic]:
    """sympy's singletons, the sympy objects held by the project's modules (globals, and the
    values of their dicts, lists, tuples and sets) with every sub-expression, and the symbols
    held by sympy's modules (its module-level dummies); found again when modules were
    imported since. (Other objects of sympy's modules are left alone: some, such as
    sympy.tensor's Idx, set facts of their own when made.)"""
    if (found := _FOUND.get(len(sys.modules))) is not None:
        return found
    objects: dict[int, sp.Basic] = {}
    for name in dir(sp.S):   # Zero, Half, Pi, Reals, ...
        if isinstance(singleton := getattr(sp.S, name, None), sp.Basic):
            objects.setdefault(id(singleton), singleton)
    for name, module in list(sys.modules.items()):
        package = name.split(".")[0]
        if package not in ("verifier", "sympy") or module is None:
            continue
        ours = package == "verifier"
        for value in list(vars(module).values()):
            for top in _sympy_in(value):
                for part in sp.preorder_traversal(top) if ours else (top,):
                    if isinstance(part, sp.Basic) and (ours or isinstance(part, sp.Symbol)):
                        objects.setdefault(id(part), part)
    _FOUND.clear()
    _FOUND[len(sys.modules)] = found = list(objects.values())
    return found


def _sympy_in(value: Any) -> Iterator[sp.Basic]:
    if isinstance(value, sp.Basic):
        yield value
    elif isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            if isinstance(item, sp.Basic):
                yield item
    elif isinstance(value, (list, tuple, set, frozenset)):
        yield from (item for item in value if isinstance(item, sp.Basic))
