"""naravard.config: the regions and the indicator catalogue."""
