"""The activation-search space b(u1(x), u2(x)) as a function file the safe parser reads."""

import pytest
import sympy as sp
from typer.testing import CliRunner

from verifier.cli import app
from verifier.errors import InputError
from verifier.functions import build_expression, load_function_file
from verifier.search_space import BINARY, UNARY, candidates
from tests.conftest import X


def test_the_default_space_has_every_combination_and_all_of_it_parses(tmp_path):
    out = tmp_path / "space.toml"
    result = CliRunner().invoke(app, ["search-space", "--out", str(out)])
    assert result.exit_code == 0 and "wrote 3703 candidates" in result.stdout
    activations = load_function_file(out)
    assert len(activations) == len(UNARY) ** 2 * len(BINARY) == 3703
    assert activations[7].expr == "(x) + (exp(-x))"
    assert build_expression(activations[7]) == X + sp.exp(-X)
    for activation in activations[::37]:   # a refusal raises ExpressionError
        assert build_expression(activation).free_symbols <= {X}, activation.expr


def test_custom_sets_and_their_errors():
    assert candidates(["x", "tanh(x)"], ["x1 * sigmoid(x2)"]) == [
        ("b0_u0_u0", "(x) * sigmoid((x))"), ("b0_u0_u1", "(x) * sigmoid((tanh(x)))"),
        ("b0_u1_u0", "(tanh(x)) * sigmoid((x))"), ("b0_u1_u1", "(tanh(x)) * sigmoid((tanh(x)))")]
    with pytest.raises(InputError, match="must use both x1 and x2"):
        candidates(["x"], ["x1 + 1"])
    with pytest.raises(InputError, match="quotes"):
        candidates(['x"'], ["x1 + x2"])
