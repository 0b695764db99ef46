"""The shipped rule sets (default, strict, search), installed as verifier.shipped_rules so
that importlib.resources finds them in a wheel and in a source checkout alike."""
