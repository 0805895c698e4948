"""Stage 1: boilerplate rules (rules/boilerplate/), scoped by outlet and language, and the cleaning engine."""
