#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema (draft 2020-12) with Python's `jsonschema`,
as an independent implementation to compare Keyform's validator with.

usage: schema-agreement.py SCHEMA FILE...
Prints one JSON object per file: {"file": ..., "verdict": "valid" | "invalid" | "unparsable",
"errors": [{"path": [...], "keyword": ...}]}. `format` is an annotation (not asserted), as in
Keyform. Exit status 0 unless the schema itself is broken or jsonschema is missing (3).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)


def main(arguments):
    if len(arguments) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in arguments[1:]:
        try:
            with open(path, encoding="utf-8") as handle:
                instance = json.load(handle)
        except (ValueError, UnicodeDecodeError):
            print(json.dumps({"file": path, "verdict": "unparsable", "errors": []}))
            continue
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
        print(json.dumps({
            "file": path,
            "verdict": "invalid" if errors else "valid",
            "errors": [{"path": [str(p) for p in e.absolute_path], "keyword": e.validator} for e in errors],
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
