"""parkrules: assess industrial parks against standards encoded as versioned YAML rule packs.

The Python API is `parkrules.api` (`assess`, `explain`, `plan`, `load_park`, `catalog`), also reachable from here
(`parkrules.assess(...)`); it is imported on first use, so `import parkrules` and the command line stay quick.
"""

from typing import Any

__version__ = "0.1.0"
API = ("assess", "explain", "plan", "load_park", "catalog")


def __getattr__(name: str) -> Any:
    if name in API:
        from parkrules import api

        return getattr(api, name)
    raise AttributeError(f"module 'parkrules' has no attribute {name!r}")
