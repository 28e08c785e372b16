"""The JSON report: the result model as documented in `schemas/result-1.json`."""

from __future__ import annotations

import json

from parkrules import __version__
from parkrules.model.result import RunResult


def render(run: RunResult) -> str:
    return json.dumps(run.to_dict(__version__), ensure_ascii=False, indent=2, allow_nan=False)  # strict JSON
