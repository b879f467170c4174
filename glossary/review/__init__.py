"""The editors' workflow: proposals, their history, and semantic diffs of glossaries."""
