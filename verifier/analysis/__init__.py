"""Shared mathematics: piecewise normal form, domains, interval sets, certified arb evaluation."""
