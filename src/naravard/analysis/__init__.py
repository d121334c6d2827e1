"""naravard.analysis: the rules behind every statement and the indicator tables (no wording)."""
