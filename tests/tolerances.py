"""The tests' one tolerance: a float fact equals an expected value to 1e-12 relative (the
facts print 15 significant digits of certified balls), and infinities compare exactly."""

RELATIVE = 1e-12


def near(value, expected, relative: float = RELATIVE) -> bool:
    """value (a float or "oo"/"-oo") is expected to `relative`; an infinity only equals
    itself."""
    if expected in ("oo", "-oo") or value in ("oo", "-oo"):
        return value == expected
    return abs(value - expected) <= relative * abs(expected)
