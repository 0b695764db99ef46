"""Certified enclosures with python-flint's arb: balls and interval ends, over points, boxes
and unbounded intervals (see verifier.analysis for the map)."""
