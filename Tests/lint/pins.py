#!/usr/bin/env python3
"""The pin check `make lint` runs: every package dependency in Package.swift names one exact version.

The tool promises byte-identical outputs from the same inputs, and Package.resolved is not committed here, so a
range (`from:`, `.upToNextMinor`, a branch or a revision) would let two builds of one commit resolve different
versions. Reads `swift package dump-package` (what SwiftPM itself understood), not the text.

Run from the package root: python3 Tests/lint/pins.py
"""

import json
import subprocess
import sys


def main() -> int:
    package = json.loads(subprocess.run(
        ["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
    problems = []
    for dependency in package.get("dependencies", []):
        for kind in ("sourceControl", "registry"):
            for spec in dependency.get(kind, []):
                name = spec.get("identity", "?")
                requirement = spec.get("requirement", {})
                exact = requirement.get("exact")
                if not (isinstance(exact, list) and len(exact) == 1):
                    problems.append(f"Package.swift: error: {name} is not pinned with exact: (found {json.dumps(requirement)})")
        if "fileSystem" in dependency:
            problems.append(f"Package.swift: error: a path dependency ({dependency['fileSystem']}) cannot be pinned")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
