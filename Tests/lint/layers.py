#!/usr/bin/env python3
"""The layer check `make lint` runs: every Swift file imports only modules its target may use.

A target may import the targets and products it declares in Package.swift (SwiftPM builds a module a target does
not declare whenever another target needs it, and the compiler then lets any file import it, so the package graph
alone does not stop a lower layer from reaching up), and the toolchain's own modules below. On top of that, a few
modules are confined to one file each: the C libraries (their pointer code stays in one place) and
FoundationNetworking (the network stays in the HTTP client); and only the syscall file names the C library module
to call read(2) and write(2). Every form of import counts (`@preconcurrency import`, `package import`,
`import struct M.T`…).

It also checks that the target graph README.md draws is the one Package.swift declares, and that each library
target has its main file (Sources/TreasuryX/TreasuryX.swift) opening with the paragraph that says what it owns.

Run from the package root: python3 Tests/lint/layers.py (it calls `swift package dump-package`).
"""

import json
import pathlib
import re
import subprocess
import sys

# Toolchain modules any target may import.
TOOLCHAIN = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization", "Glibc", "Darwin",
}
# Only test targets and plugins.
TESTING = {"Testing", "XCTest"}
PLUGIN = {"PackagePlugin"}
# Modules exactly one file may import.
ONE_FILE = {
    "CZlib": "Sources/TreasuryZlib/Zlib.swift",
    "CLibDeflate": "Sources/TreasuryZlib/LibDeflate.swift",
    "CLibXML2": "Sources/TreasuryXML/LibXML2.swift",
    "CCamtSchemas": "Sources/TreasuryValidate/EmbeddedSchemas.swift",
    "FoundationNetworking": "Sources/TreasuryHTTP/BoundedHTTP.swift",
}
# Calls qualified by the C library module (Glibc.write, Darwin.read) only here.
SYSCALL_FILE = "Sources/TreasuryInput/Syscall.swift"

IMPORT = re.compile(
    r"^\s*(?:@[\w]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:struct|class|enum|func|var|let|typealias|protocol)\s+)?([A-Za-z_]\w*)",
    re.M,
)
QUALIFIED_SYSCALL = re.compile(r"\b(?:Glibc|Darwin)\.\w+\s*\(")
# Multi-line string literals (raw or not): their lines are text (a test's Python), not Swift.
MULTILINE_STRING = re.compile(r'(#*)"""(?:.|\n)*?"""\1')


def code(text):
    """The file with its multi-line string literals blanked (newlines kept, so line numbers stay)."""
    return MULTILINE_STRING.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def declared(target):
    """Module names a target declares: its targets, and its products (here a product is named after its module)."""
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def graph_in_readme(package):
    """Differences between the target graph README.md draws (Development) and the one Package.swift declares."""
    text = pathlib.Path("README.md").read_text(encoding="utf-8")
    start = text.find("The graph, lowest layer first")
    block = text[text.find("```", start) + 3 : text.find("```", text.find("```", start) + 3)]
    names = {target["name"] for target in package["targets"]}
    drawn = {}
    for line in block.splitlines():
        match = re.match(r"^\s+(\S+)\s+(?:→ ?(.*?))?(?:\s{2,}|$)", line)
        if not match or match.group(1) not in names:
            continue
        short = [part.strip() for part in (match.group(2) or "").split(",") if part.strip()]
        drawn[match.group(1)] = {"Treasury" + name if "Treasury" + name in names else name for name in short}
    problems = []
    for target in package["targets"]:
        if target["name"].startswith("Treasury") or target["name"] == "treasury-report":
            if target["type"] == "test":
                continue
            if target["name"] not in drawn:
                problems.append(f"README.md: error: the target graph leaves out {target['name']}")
            elif drawn[target["name"]] != declared(target):
                problems.append(
                    f"README.md: error: the target graph gives {target['name']} "
                    f"{sorted(drawn[target['name']])}, Package.swift {sorted(declared(target))}"
                )
    return problems


def main():
    package = json.loads(subprocess.check_output(["swift", "package", "dump-package"], text=True))
    problems = graph_in_readme(package)
    for target in package["targets"]:
        kind = target["type"]
        if kind == "system":
            continue
        root = pathlib.Path(target.get("path") or ("Tests/" if kind == "test" else "Sources/") + target["name"])
        allowed = declared(target) | TOOLCHAIN
        if kind == "test":
            allowed |= TESTING
        if kind == "plugin":
            allowed |= PLUGIN
        for file in sorted(root.rglob("*.swift")):
            text = code(file.read_text(encoding="utf-8"))
            for match in IMPORT.finditer(text):
                module = match.group(1)
                line = text.count("\n", 0, match.start()) + 1
                where = f"{file}:{line}"
                if module not in allowed:
                    problems.append(
                        f"{where}: error: target {target['name']} imports {module}, which it does not declare in "
                        "Package.swift (a layer may use only the layers below it that it names)"
                    )
                elif module in ONE_FILE and str(file) != ONE_FILE[module]:
                    problems.append(f"{where}: error: only {ONE_FILE[module]} may import {module}")
            if str(file) != SYSCALL_FILE:
                for match in QUALIFIED_SYSCALL.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(
                        f"{file}:{line}: error: {match.group(0).rstrip('(').strip()} is called outside "
                        f"{SYSCALL_FILE}; use Syscall"
                    )
    for target in package["targets"]:
        if target["name"].startswith("Treasury") and target["type"] == "regular":
            main_file = pathlib.Path("Sources", target["name"], target["name"] + ".swift")
            if not main_file.exists() or not main_file.read_text(encoding="utf-8").startswith("// " + target["name"]):
                problems.append(f"{main_file}: error: a target's main file opens with what it owns and must not do")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layer problem(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
