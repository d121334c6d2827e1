"""naravard.speed: the shortcuts at the side: tested internals checks, the heap, WeasyPrint speed-ups."""
