#!/usr/bin/env python3
"""Validates manifests with Python's jsonschema (Draft 2020-12) against a schema file.

Usage: check-manifests.py SCHEMA FILE...

Prints one JSON object: {"FILE": {"valid": bool, "problems": ["path: message", ...]}, ...}.
YAML files are read with yaml.safe_load, .json files with json.load. The maxhub test suite runs
this next to its own validator so that the schema and the Swift code cannot drift apart.
"""
import json
import sys

import jsonschema
import yaml


def path_of(error):
    path = ""
    for part in error.absolute_path:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(root)"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    results = {}
    for name in argv[1:]:
        with open(name, encoding="utf-8") as handle:
            document = json.load(handle) if name.endswith(".json") else yaml.safe_load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
        results[name] = {"valid": not errors, "problems": [f"{path_of(e)}: {e.message}" for e in errors]}
    json.dump(results, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
