"""naravard.core: the bottom layer: errors, limits, paths, the YAML reader, safe file publishing and exports."""
