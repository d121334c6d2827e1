"""Where observations come from: Kolada (snapshot, cache, live API), regional files, example data."""

# How a snapshot's date is labelled when its retrieved.json says `"copied": true`: the files are
# a copy of an export that entered the project that day, not an answer Kolada gave that day.
COPIED_LABEL = "inlagd som kopia"

# The tidy observation table's columns, in order: every source (Kolada, the region's own file,
# example data) yields exactly these.
COLUMNS = [
    "indicator_id",
    "region_code",
    "year",
    "gender",
    "value",
    "status",
    "source",
    "retrieved",
]
