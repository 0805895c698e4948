"""What stage 2 produces for people: comparison tables, the review report, readable renderings."""
