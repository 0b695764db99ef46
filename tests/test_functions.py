"""Function files (TOML): validation errors name the file, key and line; the catalog loads."""

from pathlib import Path

import pytest
import sympy as sp

import verifier
from verifier.errors import ExpressionError, InputError
from verifier.functions import build_expression, load_catalog, load_function_file
from tests.conftest import X


def write(tmp_path, text, name="acts.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_valid_file_with_params_and_variable(tmp_path):
    path = write(tmp_path, '''
variable = "t"
[[activation]]
name = "swish"
expr = "t * sigmoid(beta * t)"
source = "Ramachandran et al. 2017"
params = { beta = 1.702 }
''')
    (activation,) = load_function_file(path)
    assert (activation.name, activation.source, activation.line, activation.column) == (
        "swish", "Ramachandran et al. 2017", 5, 9)   # the line of `expr`, where its text starts
    t = sp.Symbol("t", real=True)
    assert build_expression(activation) == t / (1 + sp.exp(-sp.Rational(1702, 1000) * t))


@pytest.mark.parametrize("text, fragments", [
    ('[[activation]]\nname = "a"\nexpr = "x"\nexprr = "x"\n', ["acts.toml:1", "activation[0].exprr", "unknown key"]),
    ('[[activation]]\nname = "a"\n', ["acts.toml:1", "activation[0].expr", "Field required"]),
    ('[[activation]]\nname = "a"\nexpr = "x"\n\n[[activation]]\nname = "a"\nexpr = "x**2"\n',
     ["acts.toml:5", "activation[1].name", "duplicate name 'a'"]),
    ('[[activation]]\nname = "a"\nexpr = = "x"\n', ["acts.toml", "not valid TOML", "line 3"]),
    ('colour = "red"\n[[activation]]\nname = "a"\nexpr = "x"\n', ["acts.toml", "colour", "unknown key"]),
    ('[[activation]]\nname = "a"\nexpr = 3\n', ["activation[0].expr", "string"]),
    ('[[activation]]\nname = "a"\nexpr = "x"\nparams = { pi = 2 }\n', ["params", "'pi'", "reserved"]),
    ('variable = "exp"\n[[activation]]\nname = "a"\nexpr = "x"\n', ["variable", "reserved"]),
    ('[[activation]]\nname = "a/b"\nexpr = "x"\n', ["activation[0].name"]),
    ('', ["acts.toml", "no [[activation]] table"]),
])
def test_file_errors_name_file_key_and_line(tmp_path, text, fragments):
    with pytest.raises(InputError) as caught:
        load_function_file(write(tmp_path, text))
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nope.toml: no such file"):
        load_function_file(tmp_path / "nope.toml")


def test_expression_error_names_file_activation_and_column(tmp_path):
    path = write(tmp_path, '[[activation]]\nname = "ok"\nexpr = "x"\n\n'
                           '[[activation]]\nname = "bad"\nexpr = "x + foo(x)"\n')
    good, bad = load_function_file(path)
    assert build_expression(good) == X
    with pytest.raises(ExpressionError) as caught:
        build_expression(bad)
    assert str(caught.value) == (f"{path}:7: activation 'bad': expr: column 5: "
                                 f"function not in the vocabulary: 'foo'")


def test_bad_parameter_value_names_the_parameter(tmp_path):
    path = write(tmp_path, '[[activation]]\nname = "a"\nexpr = "x*b"\nparams = { b = "x" }\n')
    with pytest.raises(ExpressionError, match=r"activation 'a': params.b: .*unknown name"):
        build_expression(load_function_file(path)[0])


CATALOG = load_catalog()


def test_catalog_size_sources_and_unique_names():
    # every table of the shipped file is loaded: counted in its text, not by the loader
    text = (Path(verifier.__file__).parent / "data" / "catalog.toml").read_text("utf-8")
    assert len(CATALOG) == text.count("\n[[activation]]\n") + text.startswith("[[activation]]\n")
    assert len(CATALOG) == 56
    assert len({a.name for a in CATALOG}) == len(CATALOG)
    assert all(a.source for a in CATALOG)


def test_catalog_holds_both_framework_definitions_and_the_article_candidates():
    names = {a.name for a in CATALOG}
    assert {"hard_sigmoid_torch", "hard_sigmoid_keras2", "leaky_relu_torch",
            "leaky_relu_keras", "gelu", "gelu_tanh", "swish", "mish", "squareplus",
            "bent_identity", "isru", "isrlu", "sqnl", "gaussian", "sinusoid", "arctan",
            "softclip"} <= names
    assert {"identity", "affine", "quadratic", "sqrt", "log", "signed_sqrt", "exp",
            "reciprocal", "heaviside", "floor"} <= names


@pytest.mark.parametrize("activation", CATALOG, ids=lambda a: a.name)
def test_every_catalog_expression_parses(activation):
    assert build_expression(activation).free_symbols == {X}


def test_selu_constants_are_exact():
    selu = next(a for a in CATALOG if a.name == "selu")
    expr = build_expression(selu)
    scale = sp.Rational("1.0507009873554804934193349852946")
    assert sp.simplify(expr.subs(X, 1) - scale) == 0
