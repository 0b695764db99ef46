"""`kept`: an analysis step's value or Undecided reason computed once per arguments."""

import pytest

from verifier.analysis.undecided import Undecided, kept


def test_a_kept_step_runs_once_per_arguments_and_raises_its_reason_again_afresh():
    calls = []

    @kept(maxsize=8)
    def half(n: int) -> int:
        calls.append(n)
        if n % 2:
            raise Undecided(f"{n} is odd")
        return n // 2

    assert half(4) == 2 and half(4) == 2
    with pytest.raises(Undecided, match="^3 is odd$") as first:
        half(3)
    with pytest.raises(Undecided, match="^3 is odd$") as second:
        half(3)
    assert calls == [4, 3]
    assert first.value is not second.value


def test_a_step_that_fails_otherwise_is_not_kept():
    calls = []

    @kept(maxsize=8)
    def broken(n: int) -> int:
        calls.append(n)
        raise ZeroDivisionError(n)

    for _ in range(2):
        with pytest.raises(ZeroDivisionError):
            broken(1)
    assert calls == [1, 1]
