#!/bin/sh
# Installs the Debian packages named as arguments that are missing, or says which they are and how to install them.
#
# `make deps` and `make test-deps` call it. It installs with apt-get only when it can (root, apt-get on PATH);
# otherwise it lists the missing packages with the command to run and exits 1, instead of failing inside apt-get.
# Without dpkg (not Debian), it cannot tell what is installed: it says what the build needs and goes on.
set -u

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: no dpkg-query here, so installed packages cannot be checked; the build needs (Debian names): $*" >&2
  exit 0
fi

missing=""
for package in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $package" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  why="not running as root"
  command="sudo apt-get install -y --no-install-recommends$missing"
elif ! command -v apt-get >/dev/null 2>&1; then
  why="apt-get is not on PATH"
  command="apt-get install -y --no-install-recommends$missing (or your system's equivalent)"
else
  echo "installing:$missing"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
    exit 0
  fi
  echo "error: apt-get could not install:$missing (see its messages above)" >&2
  exit 1
fi
echo "error: missing Debian packages:$missing" >&2
echo "error: $why, so they were not installed; install them with:" >&2
echo "  $command" >&2
exit 1
