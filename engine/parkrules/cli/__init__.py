"""The command line: one module per command group, options shared in one place."""
