#!/usr/bin/env python3
"""Checks the hub's OpenAPI document: valid OpenAPI, every $ref resolves, errors are problem details.

Usage: check-openapi.py PATH

Validates PATH with openapi-spec-validator, then checks what the validator does not: that every
`$ref` is local and resolves, that every operation has an operationId (unique), a summary and tags,
and that every operation lists a 4xx answer and every 4xx/5xx answer is `application/problem+json`
with the `ProblemDetails` schema (directly or through `allOf`). Prints each problem on stderr and a
one-line verdict on stdout; exits 0 when there is none, 1 otherwise, 2 on a usage error.
"""
import sys

import yaml
from openapi_spec_validator.shortcuts import get_validator_cls
from openapi_spec_validator.validation.exceptions import ValidatorDetectError

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA = "#/components/schemas/ProblemDetails"
MISSING = object()


def one_line(text, limit=300):
    """The first line of a message, cut to `limit` characters."""
    line = (text.strip().splitlines() or [""])[0]
    return line if len(line) <= limit else line[: limit - 3] + "..."


def resolve_pointer(document, ref):
    """The value a local `#/...` reference names, or MISSING."""
    if not ref.startswith("#"):
        return MISSING
    node = document
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def check_refs(document, node, where, problems):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#/"):
                problems.append(f"{where}: $ref {ref!r} is not local; the hub serves one self-contained document")
            elif resolve_pointer(document, ref) is MISSING:
                problems.append(f"{where}: $ref {ref!r} does not resolve")
        for key, value in node.items():
            check_refs(document, value, f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}", problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_refs(document, value, f"{where}/{index}", problems)


def dereference(document, node):
    """Follows `$ref`s until a value that is not one (or MISSING for a broken or looping one)."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            return MISSING
        seen.add(ref)
        node = resolve_pointer(document, ref)
    return node


def is_problem_schema(document, schema, seen=frozenset()):
    """Whether a schema is ProblemDetails, or an `allOf` that includes it."""
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref == PROBLEM_SCHEMA:
            return True
        if ref in seen:
            return False
        return is_problem_schema(document, resolve_pointer(document, ref), seen | {ref})
    return any(is_problem_schema(document, part, seen) for part in schema.get("allOf") or [])


def check_operations(document, problems):
    operation_ids = {}
    declared_tags = {tag.get("name") for tag in document.get("tags") or [] if isinstance(tag, dict)}
    count = 0
    for path, item in (document.get("paths") or {}).items():
        item = dereference(document, item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            count += 1
            label = f"{method.upper()} {path}"
            operation_id = operation.get("operationId")
            if not operation_id:
                problems.append(f"{label}: no operationId")
            elif operation_id in operation_ids:
                problems.append(f"{label}: operationId {operation_id!r} is also {operation_ids[operation_id]}'s")
            else:
                operation_ids[operation_id] = label
            if not operation.get("summary"):
                problems.append(f"{label}: no summary")
            tags = operation.get("tags") or []
            if not tags:
                problems.append(f"{label}: no tags")
            for tag in tags:
                if tag not in declared_tags:
                    problems.append(f"{label}: tag {tag!r} is not declared in the top-level tags")
            has_client_error = False
            for status, response in (operation.get("responses") or {}).items():
                status = str(status)
                if not status[:1] in ("4", "5"):
                    continue
                has_client_error = has_client_error or status.startswith("4")
                response = dereference(document, response)
                content = response.get("content") if isinstance(response, dict) else None
                if not isinstance(content, dict) or PROBLEM_MEDIA_TYPE not in content:
                    problems.append(f"{label} {status}: not described as {PROBLEM_MEDIA_TYPE}")
                    continue
                others = sorted(set(content) - {PROBLEM_MEDIA_TYPE})
                if others:
                    problems.append(f"{label} {status}: also described as {', '.join(others)}")
                media = content[PROBLEM_MEDIA_TYPE] or {}
                if not is_problem_schema(document, media.get("schema")):
                    problems.append(f"{label} {status}: the schema is not {PROBLEM_SCHEMA}")
            if not has_client_error:
                problems.append(f"{label}: lists no 4xx problem answer")
    return count


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[0]
    try:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        print(f"{path}: cannot read: {error}".replace("\n", " "))
        return 1
    if not isinstance(document, dict):
        print(f"{path}: not an OpenAPI document (the top level is not a mapping)")
        return 1
    try:
        validator_cls = get_validator_cls(document)
    except ValidatorDetectError:
        print(f"{path}: not an OpenAPI document (no supported `openapi` or `swagger` version)")
        return 1

    problems = []
    check_refs(document, document, "#", problems)
    # The validator stops with an exception at a reference that does not resolve; those are reported above.
    if not problems:
        try:
            for error in validator_cls(document).iter_errors():
                location = getattr(error, "json_path", None) or "$"
                problems.append(f"openapi-spec-validator: {location}: {one_line(error.message)}")
        except Exception as error:  # noqa: BLE001 - any failure of the validator is a verdict, not a crash
            problems.append(f"openapi-spec-validator failed: {one_line(str(error))}")
    count = check_operations(document, problems)

    for problem in problems:
        print(problem, file=sys.stderr)
    version = document.get("openapi") or document.get("swagger")
    if problems:
        print(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''} (OpenAPI {version}, {count} operations)")
        return 1
    print(f"{path}: OK (OpenAPI {version}, {count} operations, every $ref resolves, every error is problem details)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
