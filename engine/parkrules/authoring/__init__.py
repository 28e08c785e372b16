"""For those who write packs: lint, pack tests and coverage, diffs, scaffolding and the data-entry template."""
