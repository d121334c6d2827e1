"""naravard: the yearly follow-up of the transition to god och nära vård, per region and year."""

__version__ = "0.1.0"
