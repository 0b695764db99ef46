"""The formula as float32/float64 compute it: the numpy program, its certified spans, where it
breaks and why, and the proof that it does not (see verifier.analysis for the map)."""
