"""Shared mathematics, knowing no property: each module answers one kind of question about f,
exactly (sympy) or certified (arb), and raises Undecided (undecided.py) where it cannot.

A map, by what a reader looks for:
- One activation's analysis, computed once: context.py (pieces, domain, smoothness, shapes).
- Sets and pieces: sets.py (conditions solved exactly, sets as JSON), line_sets.py (union,
  intersection and difference of finite unions of intervals), membership.py, pieces.py (the piecewise normal form), written.py (where the formula as written is
  defined), domain.py, steps.py (floor/ceiling families).
- Points and values: pointwise.py (exact and 50-digit values at one point), values.py (exact
  or certified values and their order), limits.py, points.py (where continuity must be
  checked), smoothness.py, origin.py (f and f' at 0), probes.py (points to look for
  witnesses at), extremes.py (candidates for sup and inf), derivatives.py.
- Signs and shapes: bounds.py (exact or certified points), roots.py (signs at points, roots
  bracketed), exp_polynomials.py (exact zeros of functions rational in exp(x)),
  assumed_signs.py, sign_forms.py, boxes.py and box_tails.py (branch and bound
  of a sign), stretches.py and signs.py (sign structures), shape.py (monotone segments),
  levels.py (where f' lies between two levels).
- Rewriting: rewrites.py (stable rewrites of the formula as written, proved equal to it).
- arb/: certified enclosures: certified.py (a ball at a point), ball_program.py (the
  compiled evaluator), endpoints.py (interval ends), envelope.py (all values over an
  interval), quotients.py (vanishing quotients by the mean value theorem).
- floats/: the formula as float32/float64 compute it: program.py (the numpy walk, also in
  float16 and bfloat16), images.py and spans.py (certified enclosures of float results),
  breaks.py, cause.py, proof.py (finite wherever the true value is), autodiff.py (f' as
  autodiff computes it), accuracy.py (the error in ulps of f or f', at every 16-bit input
  or at the worst inputs a search finds), domain_boxes.py (the domain as boxes of a
  dtype's floats), exact_values.py (certified exact values placed against a dtype's normal
  range), ulp_error.py (certified errors in ulps, many inputs at once),
  dtype_accuracy.py (one dtype's accuracy verdict and facts), error_walk.py and
  error_bound.py (a proved bound on the rounding error in float32/float64, box by box),
  slope_bound.py (the same for f' as autodiff computes it).
"""
