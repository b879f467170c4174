"""The enforcement ladder's parts: compact alignments, inflected forms, the damage guard."""
