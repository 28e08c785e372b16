"""JSON Schema validation of every input format, with errors pointing to file, line and field.

The schemas ship inside the package (`parkrules/schemas/*-1.json`, versioned by file name) so
editors and CI can use the same files.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from referencing import Registry, Resource

from parkrules.base.errors import Location, ParkrulesError, shorten
from parkrules.io.yamlsafe import line_at

SCHEMAS = ("vocabulary-1", "park-1", "factors-1", "pack-1", "pack-tests-1", "result-1", "measures-1", "plan-1")
RELEVANCE = jsonschema.exceptions.relevance


def schema_text(name: str) -> str:
    """The raw text of a shipped schema file."""
    return resources.files("parkrules").joinpath("schemas", f"{name}.json").read_text("utf-8")


@cache
def _registry() -> Registry:
    registry = Registry()
    for name in SCHEMAS:
        document = json.loads(schema_text(name))
        registry = registry.with_resource(document["$id"], Resource.from_contents(document))
    return registry


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A compiled validator for one shipped schema (built once per process)."""
    document = json.loads(schema_text(name))
    cls = jsonschema.validators.validator_for(document)
    return cls(document, registry=_registry())


def validate(document: Any, name: str, filename: str) -> None:
    """Raise a ParkrulesError for the most relevant schema violation, located in the file."""
    errors = list(validator(name).iter_errors(document))
    if not errors:
        return
    error = most_relevant(errors)
    path = list(error.absolute_path)
    field = ".".join(str(step) for step in path)
    raise ParkrulesError(describe(error), Location(filename, line_at(document, path), field))


def most_relevant(errors: list[jsonschema.ValidationError]) -> jsonschema.ValidationError:
    """jsonschema's `best_match`, except that where a value may take one of several forms told apart by a constant
    (a basis: verified, provisional or definition) the error is taken from the one form whose constant it matches:
    "missing field: 'rests_on'" for a provisional basis without it, not "'definition' was expected" from a form
    it did not choose. Written out because `best_match` descends by depth alone."""
    best = max(errors, key=RELEVANCE)
    while best.context:
        pool = _chosen_form(best.context) or list(best.context)
        smallest = heapq.nsmallest(2, pool, key=RELEVANCE)
        if len(smallest) == 2 and RELEVANCE(smallest[0]) == RELEVANCE(smallest[1]):
            return best  # no error stands out: the one that holds them says the most
        best = smallest[0]
    return best


def _chosen_form(context: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError] | None:
    """The errors of the one branch of a oneOf/anyOf whose constants the value matches, if exactly one does."""
    branches: dict[object, list[jsonschema.ValidationError]] = {}
    for sub in context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    viable = [subs for subs in branches.values() if not any(_rejects(sub) for sub in subs)]
    return viable[0] if len(viable) == 1 else None


def _rejects(error: jsonschema.ValidationError) -> bool:
    """The value is not of this form: a constant it does not match, or no nested form it could be."""
    if error.validator == "const":
        return True
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches = {sub.relative_schema_path[0] for sub in error.context if sub.relative_schema_path}
        return all(
            any(
                _rejects(sub)
                for sub in error.context
                if sub.relative_schema_path and sub.relative_schema_path[0] == branch
            )
            for branch in branches
        )
    return False


def describe(error: jsonschema.ValidationError) -> str:
    """A schema violation in words a pack author reads: it names the field (the caller gives the path), never
    quotes the value, which may be huge or the content of a file that was never meant to be read as ours."""
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = [key for key in error.instance if key not in known] if isinstance(error.instance, dict) else []
        shown = ", ".join(repr(shorten(str(key))) for key in extra[:5]) + (" …" if len(extra) > 5 else "")
        return f"unexpected field: {shown}"
    if error.validator == "required":
        return f"missing field: {error.message}"
    message, quoted = error.message, repr(error.instance)  # jsonschema's messages start with the value
    if message.startswith(quoted):
        key = "propertyNames" in error.absolute_schema_path
        subject = f"key {shorten(str(error.instance))!r}" if key else "value"
        message = subject + message[len(quoted) :]
    return shorten(message, 300)
