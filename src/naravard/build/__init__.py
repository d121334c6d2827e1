"""naravard.build: making a report: kernels, papermill, nbconvert, WeasyPrint, publishing, batches."""
