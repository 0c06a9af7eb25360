#!/usr/bin/env python3
"""Checks recorded console answers against Adobe's API documents.

Usage:
    check_openapi_conformance.py [--console-doc FILE] [--events-doc FILE] DIR

DIR holds one JSON file per exchange (the Keyform test suite writes them):
    {"method": "GET", "path": "/console/organizations", "status": 200,
     "contentType": "application/json", "body": "<the answer's body as text>"}

Each exchange is matched to the operation of `console-api.openapi.json` (OpenAPI 3) or
`events-api.swagger.yaml` (Swagger 2) whose path template fits, and checked:
  1. the status is one the document lists for the operation (or an allowed deviation, below);
  2. when the document gives a schema for that status, the body is JSON valid against it
     (openapi-schema-validator's OAS 3.0 validator, with its format checker);
  3. every member the body has is declared by the schema (the documents allow extra members;
     an emulator should not invent them), unless allowed below.
Prints one line per exchange, the operations covered, and a summary; exits 1 on any failure,
2 on bad usage, 3 when a Python module is missing.
"""

import argparse
import json
import os
import sys

try:
    import yaml
    from openapi_schema_validator import OAS30Validator, oas30_format_checker
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"missing Python module ({error.name}): pip install openapi-schema-validator pyyaml", file=sys.stderr)
    sys.exit(3)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DOCS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "testdata", "adobe"))

# Statuses the emulator answers where Adobe's document lists none, with the reason.
ALLOWED_STATUSES = {
    ("POST", "/console/organizations/{orgId}/projects", "409"):
        "a taken project name is answered 409 with x-conflicting-id (the document lists no 409 here)",
}
# Any operation may answer these: the gateway's 401, a 404 for an id that does not exist, and
# the injected faults (429, 503, 504).
ALLOWED_EVERYWHERE = {
    "401": "Adobe's gateway refuses a missing token before any operation",
    "404": "an id in the path that does not exist",
    "429": "rate limit", "503": "injected fault", "504": "injected fault",
}
# Members the documents do not declare, answered on purpose.
ALLOWED_MEMBERS = {}


def load_operations(console_doc, events_doc):
    """[(api, method, template, operation, document)] for both documents."""
    operations = []
    with open(console_doc, encoding="utf-8") as handle:
        console = json.load(handle)
    with open(events_doc, encoding="utf-8") as handle:
        events = yaml.safe_load(handle)
    for api, document in (("console", console), ("events", events)):
        for template, item in document["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    operations.append((api, method.upper(), template, operation, document))
    return operations


def match(operations, method, path):
    """The operation whose template fits `path`, preferring the most literal segments."""
    segments = [s for s in path.split("/") if s]
    best = None
    for candidate in operations:
        _, op_method, template, _, _ = candidate
        if op_method != method:
            continue
        parts = [s for s in template.split("/") if s]
        if len(parts) != len(segments):
            continue
        literal = 0
        for part, segment in zip(parts, segments):
            if part.startswith("{") and part.endswith("}"):
                continue
            if part != segment:
                break
            literal += 1
        else:
            if best is None or literal > best[0]:
                best = (literal, candidate)
    return best[1] if best else None


def resolve(document, node):
    """Follows `$ref`s within `document`."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        pointer = node["$ref"]
        if not pointer.startswith("#/"):
            raise ValueError(f"external reference {pointer}")
        node = document
        for part in pointer[2:].split("/"):
            node = node[part]
        seen += 1
    return node


def response_schema(document, response):
    """The schema of a documented response, or None when it declares no body."""
    response = resolve(document, response)
    if not isinstance(response, dict):
        return None
    if "content" in response:  # OpenAPI 3
        content = response["content"]
        for media in ("application/json", "application/hal+json"):
            if media in content and "schema" in content[media]:
                return content[media]["schema"]
        for media in content.values():
            if "schema" in media:
                return media["schema"]
        return None
    return response.get("schema")  # Swagger 2


def rooted(document, schema):
    """The schema with the document's definitions beside it, so that `#/…` refs resolve."""
    root = dict(schema)
    for key in ("components", "definitions"):
        if key in document:
            root[key] = document[key]
    return root


def undeclared(document, schema, instance, path, found):
    """Collects the paths of members `instance` has that `schema` does not declare."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return
    for combined in schema.get("allOf", []):
        undeclared(document, combined, instance, path, found)
    if isinstance(instance, dict) and "properties" in schema:
        properties = schema["properties"]
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            if key in properties:
                undeclared(document, properties[key], value, f"{path}.{key}" if path else key, found)
            elif isinstance(extra, dict):
                undeclared(document, extra, value, f"{path}.{key}" if path else key, found)
            elif not schema.get("allOf"):
                found.append(f"{path}.{key}" if path else key)
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            undeclared(document, schema["items"], item, f"{path}[{index}]", found)


def check(exchange, operations):
    """Failures of one exchange (empty when it conforms) and the operation it matched."""
    method, path, status = exchange["method"], exchange["path"], str(exchange["status"])
    candidate = match(operations, method, path)
    if candidate is None:
        return [f"no documented operation for {method} {path}"], None
    api, _, template, operation, document = candidate
    failures = []
    responses = operation.get("responses", {})
    if status not in responses and "default" not in responses:
        if (method, template, status) not in ALLOWED_STATUSES and status not in ALLOWED_EVERYWHERE:
            failures.append(f"status {status} is not documented (documented: {', '.join(sorted(responses))})")
        return failures, (api, method, template)
    schema = response_schema(document, responses.get(status, responses.get("default")))
    if schema is None:
        return failures, (api, method, template)
    try:
        body = json.loads(exchange["body"])
    except ValueError as error:
        return [f"the body is not JSON ({error}) but the document gives a schema"], (api, method, template)
    validator = OAS30Validator(rooted(document, schema), format_checker=oas30_format_checker)
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        failures.append(f"schema: at {where}: {error.message}")
    extra = []
    undeclared(document, schema, body, "", extra)
    for member in extra:
        generic = member.split("[")[0] if "[" in member else member
        if (template, generic) not in ALLOWED_MEMBERS:
            failures.append(f"member `{member}` is not declared by the document")
    return failures, (api, method, template)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--console-doc", default=os.path.join(DEFAULT_DOCS, "console-api.openapi.json"))
    parser.add_argument("--events-doc", default=os.path.join(DEFAULT_DOCS, "events-api.swagger.yaml"))
    arguments = parser.parse_args()
    operations = load_operations(arguments.console_doc, arguments.events_doc)
    names = sorted(n for n in os.listdir(arguments.directory) if n.endswith(".json"))
    if not names:
        print(f"no exchanges in {arguments.directory}", file=sys.stderr)
        return 2
    failed = 0
    covered = set()
    for name in names:
        with open(os.path.join(arguments.directory, name), encoding="utf-8") as handle:
            exchange = json.load(handle)
        failures, operation = check(exchange, operations)
        if operation:
            covered.add(operation)
        label = f"{exchange['method']} {exchange['path']} {exchange['status']}"
        if failures:
            failed += 1
            print(f"FAIL {name} {label}")
            for failure in failures:
                print(f"    {failure}")
        else:
            print(f"ok   {name} {label}")
    print("operations covered:")
    for api, method, template in sorted(covered):
        print(f"    {api:7} {method:6} {template}")
    print(f"conformance: {len(names)} exchanges checked, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
