#!/usr/bin/env python3
"""Checks that every target of Package.swift declares exactly the modules its Swift files import (the system's own
modules aside), so that the dependency arrows written in Package.swift are the ones the code follows; and that the
arrows point one way: MaxhubJSON <- MaxhubCore <- MaxhubArchive <- MaxhubStore, MaxhubServer; MaxhubCore and
MaxhubArchive <- MaxhubClient; all <- MaxhubCLI. The server and the client never import each other.

Usage: scripts/check-dependencies.py [PACKAGE_DUMP.json]   (default: runs `swift package dump-package`)
Exits 1 and names each target whose imports and declared dependencies differ."""
import glob
import json
import os
import re
import subprocess
import sys

SYSTEM = {"Foundation", "FoundationEssentials", "Testing", "XCTest", "Glibc", "Darwin", "Dispatch", "Synchronization"}
# A module may depend only on modules of a lower layer.
LAYERS = {"MaxhubJSON": 0, "MaxhubCore": 1, "MaxhubArchive": 2, "MaxhubStore": 3, "MaxhubServer": 4, "MaxhubClient": 4,
          "MaxhubCLI": 5, "maxhub": 6}
IMPORT = re.compile(r"^(?:@testable |@preconcurrency |@_implementationOnly )?import (?:(?:struct|class|enum|protocol|func|typealias) )?(\w+)")


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if len(sys.argv) > 1:
        package = json.load(open(sys.argv[1]))
    else:
        package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                            capture_output=True, text=True).stdout)
    problems = []
    for target in package["targets"]:
        if target["type"] in ("system", "binary", "plugin"):
            continue
        declared = set()
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            declared.add(value[0])
        folder = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])
        imported = set()
        for path in glob.glob(os.path.join(root, folder, "**", "*.swift"), recursive=True):
            with open(path, encoding="utf-8") as source:
                for line in source:
                    match = IMPORT.match(line)
                    if match:
                        imported.add(match.group(1))
        imported -= SYSTEM | {target["name"]}
        layer = LAYERS.get(target["name"])
        if layer is not None:
            upward = sorted(name for name in declared if LAYERS.get(name, -1) >= layer)
            if upward:
                problems.append(f"{target['name']}: depends on {upward}, which is not in a layer below it")
        if imported != declared:
            problems.append(f"{target['name']}: imported but not declared {sorted(imported - declared)}, "
                            f"declared but not imported {sorted(declared - imported)}")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(package['targets'])} targets: each declares exactly what it imports")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
