"""parkrules: assess industrial parks against standards encoded as versioned YAML rule packs."""

__version__ = "0.1.0"
