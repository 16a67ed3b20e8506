#!/usr/bin/env python3
"""Checks deploy/Dockerfile against this machine, offline (Docker cannot run here): DeployManifestTests runs it.

    python3 Tests/install/dockerfile-check.py DOCKERFILE BINARY

Prints one JSON object:
- stages: each FROM's image and name; swift_version: the toolchain's (`swift --version`);
- runtime_packages: what the runtime stage's apt-get install names; user: its USER;
- needed: the Debian packages of the shared libraries the binary needs that are not the Swift toolchain's, as a
  release build with --static-swift-stdlib links them: the NEEDED entries of BINARY and of every toolchain library
  it loads (the toolchain's own are linked into the release binary, theirs are not), mapped with dpkg -S;
- closure_missing: packages of every library `ldd BINARY` loads (outside the toolchain) that neither the runtime
  packages nor Debian's base pull in through their Depends (dpkg's records of this machine: the same Debian
  release as the runtime stage, which the test checks).
"""
import json
import os
import re
import shutil
import subprocess
import sys

BASE = {"libc6", "libgcc-s1"}  # in every Debian image (essential or required by apt)


def stages(text):
    joined = re.sub(r"\\\n", " ", text)
    found, runtime_packages, user = [], [], None
    for line in joined.splitlines():
        line = line.strip()
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            found.append({"image": m.group(1), "name": m.group(2)})
            continue
        if found and line.upper().startswith("RUN") and "apt-get" in line and found[-1]["name"] == "runtime":
            for part in re.split(r"&&|;", line):
                words = part.split()
                if "install" in words and "apt-get" in part:
                    runtime_packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
        if found and line.upper().startswith("USER ") and found[-1]["name"] == "runtime":
            user = line.split()[1]
    return found, runtime_packages, user


def package_of(path):
    for candidate in {path, os.path.realpath(path)}:
        variants = {candidate}
        if candidate.startswith("/usr/lib/"):
            variants.add(candidate[4:])
        elif candidate.startswith("/lib/"):
            variants.add("/usr" + candidate)
        for v in variants:
            r = subprocess.run(["dpkg", "-S", v], capture_output=True, text=True)
            if r.returncode == 0:
                return r.stdout.split(":")[0].strip()
    return None


def main():
    dockerfile, binary = sys.argv[1], sys.argv[2]
    found, runtime_packages, user = stages(open(dockerfile).read())
    version = re.search(r"Swift version (\S+)", subprocess.run(["swift", "--version"], capture_output=True,
                                                                  text=True).stdout + "")
    swiftc = os.path.realpath(shutil.which("swiftc"))
    toolchain = os.path.dirname(os.path.dirname(os.path.dirname(swiftc)))
    loaded = {}
    for line in subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line)
        if m and m.group(2) != "not":
            loaded[m.group(1)] = m.group(2)

    def in_toolchain(path):
        return os.path.realpath(path).startswith(toolchain + "/")

    def needed(path):
        out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=True).stdout
        return re.findall(r"NEEDED\s+(\S+)", out)

    direct = set(needed(binary))
    for soname, path in loaded.items():
        if in_toolchain(path):
            direct |= set(needed(path))
    needed_packages, unknown = set(), []
    for soname in sorted(direct):
        path = loaded.get(soname)
        if path is None or in_toolchain(path):
            continue
        package = package_of(path)
        (needed_packages.add(package) if package else unknown.append(soname))

    # Depends closure of what the runtime installs, from this machine's dpkg database.
    depends = {}
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Pre-Depends}, ${Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        name, _, deps = line.partition("\t")
        alternatives = [[re.sub(r"[:\s(].*", "", a.strip()) for a in group.split("|")] for group in deps.split(",")]
        depends[name] = [[a for a in group if a] for group in alternatives if any(group)]
    closure, todo = set(), list(set(runtime_packages) | BASE)
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        for group in depends.get(name, []):
            installed = [a for a in group if a in depends] or group[:1]
            todo += installed
    loaded_packages = {package_of(p) for p in loaded.values() if not in_toolchain(p)}
    closure_missing = sorted(p for p in loaded_packages if p and p not in closure)

    print(json.dumps({
        "stages": found, "swift_version": version.group(1) if version else None,
        "runtime_packages": runtime_packages, "user": user, "needed": sorted(needed_packages),
        "unknown_libraries": unknown, "closure_missing": closure_missing, "base": sorted(BASE),
        "debian_version": open("/etc/debian_version").read().strip(),
    }, indent=1))


if __name__ == "__main__":
    main()
