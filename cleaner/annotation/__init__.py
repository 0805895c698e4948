"""Stage 2: framing markers (rules/framing/), entities (rules/entities.yaml), voice and sentiment."""
