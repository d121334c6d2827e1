"""naravard.report: the region and national reports' parts: blocks, comments, questionnaire, own analysis."""
