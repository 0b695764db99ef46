"""The defaults of every run option, in one light module (no sympy, no numpy): the CLI's help
texts read them at start-up, the engine, the cross-check and the workers use them.

Changing one changes what a run without that option does, and so the result store's keys.
"""

from __future__ import annotations

DEFAULT_TIMEOUT = 30.0          # seconds per step (parse, property, cross-check)
DEFAULT_EXAMPLES = 200          # cross-check inputs per verdict
DEFAULT_MAX_MEMORY = 1 << 30    # bytes per worker process
DEFAULT_EPSILON = "1e-3"        # the no_vanishing_gradient threshold, as written
# float_accurate: the dtypes checked and the ulps each may be off (a rule set may say others)
DEFAULT_ULPS = {"float16": 2.0, "bfloat16": 2.0, "float32": 4.0, "float64": 4.0}
