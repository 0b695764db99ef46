"""The one internal signal of the analysis: this question could not be decided exactly."""


class Undecided(Exception):
    """Raised by analysis steps that cannot answer exactly; its text becomes an `unknown`
    verdict's reason. Not a user error: never shown as a failure of the input."""
