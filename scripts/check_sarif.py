#!/usr/bin/env python3
"""Reads a SARIF log on stdin and checks it against sarif-pydantic's SARIF 2.1.0 model, an
implementation independent of Keyform's. Prints {"results": N, "rules": M} and exits 0 when it
is accepted; prints the validation errors and exits 1 when it is not.

Used by Tests/KeyformCLITests/ValidateOutputTests.swift (`.ci/run` installs sarif-pydantic).
"""
import json
import sys

from sarif_pydantic import Sarif


def main() -> int:
    document = json.load(sys.stdin)
    try:
        log = Sarif.model_validate(document)
    except Exception as error:  # pydantic.ValidationError, reported as it is
        print(str(error))
        return 1
    if log.version != "2.1.0" or len(log.runs) != 1:
        print(f"expected one run of SARIF 2.1.0, found version {log.version} with {len(log.runs)} runs")
        return 1
    run = log.runs[0]
    rules = run.tool.driver.rules or []
    ids = {rule.id for rule in rules}
    unknown = sorted({result.rule_id for result in (run.results or []) if result.rule_id not in ids})
    if unknown:
        print(f"results name rules the driver does not list: {unknown}")
        return 1
    print(json.dumps({"results": len(run.results or []), "rules": len(rules)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
