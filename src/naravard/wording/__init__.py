"""naravard.wording: every Swedish sentence: number formatting, generated sentences, Jinja, Det viktigaste."""
