"""Where observations come from: Kolada (snapshot, cache, live API), regional files, example data."""
