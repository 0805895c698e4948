"""Rule-file plumbing shared by every kind of rule: YAML with line numbers, located validation, examples."""
