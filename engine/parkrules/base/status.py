"""Every status a result carries, in one enum: indicators, derived quantities, verdicts, crosswalk entries.

A member is its output text (`Status.PASS == "pass"`, and it prints, formats and serialises as "pass"), so JSON,
reports and stored batch files read as before. The groups below say which statuses each kind of result may take;
the result schema's enums and the batch storage codes are held to them (tests/test_status.py).
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    CLASSIFIED = "classified"  # a classification indicator's state was decided
    INCOMPLETE = "incomplete"  # a verdict that missing or erroneous results leave undecided
    COMPUTED = "computed"  # a derived quantity with a value

    def __str__(self) -> str:  # the text, on every Python version (3.11 changed format() of mixed-in enums)
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


INDICATOR = (Status.PASS, Status.FAIL, Status.MISSING, Status.NOT_APPLICABLE, Status.ERROR, Status.CLASSIFIED)
DERIVED = (Status.COMPUTED, Status.MISSING, Status.ERROR)
VERDICT = (Status.PASS, Status.FAIL, Status.INCOMPLETE, Status.NOT_APPLICABLE)
UNKNOWN = (Status.MISSING, Status.ERROR)  # no decision: a score counts their points as possible, not earned
# Batch storage: each status's int8 code is its position here. Stored files depend on the order: append only.
STORED = (
    Status.PASS,
    Status.FAIL,
    Status.MISSING,
    Status.ERROR,
    Status.NOT_APPLICABLE,
    Status.CLASSIFIED,
    Status.INCOMPLETE,
)
