#!/bin/sh
# Checks an installed treasury-report: `make check-install` (part of `make test`) runs it on a scratch prefix.
#
#   sh Tests/install/check-install.sh PREFIX SAMPLES
#
# 1. ldd: nothing from the Swift toolchain is linked dynamically (no path under the toolchain, no libswift*,
#    libFoundation*, libdispatch or libBlocksRuntime), nor libdeflate (linked in from libdeflate.a), and every
#    library ldd lists is found.
# 2. The installed binary runs from PATH, as README's usage is written, with the toolchain hidden: in a private
#    mount namespace (unshare -m, as root) an empty tmpfs is mounted over the toolchain's folder, so a binary that
#    needed it would fail to start. Without unshare (not root), it runs with a PATH of PREFIX/bin and the system
#    folders only, and says the toolchain could not be hidden.
# 3. PREFIX/share/man/man1/treasury-report.1 is a man page of this command.
set -eu

prefix=$(cd "$1" && pwd)
samples=$2
binary="$prefix/bin/treasury-report"
fail() { echo "check-install: error: $*" >&2; exit 1; }

[ -x "$binary" ] || fail "$binary is not an executable file"
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")")
libraries=$(ldd "$binary") || fail "ldd cannot read $binary"
echo "$libraries" | grep -q 'not found' && fail "$binary needs libraries that are missing:
$(echo "$libraries" | grep 'not found')"
linked=$(echo "$libraries" | grep -E "$toolchain/|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime" || true)
[ -z "$linked" ] || fail "$binary links the Swift toolchain's libraries dynamically (build it with --static-swift-stdlib):
$linked"
deflate=$(echo "$libraries" | grep libdeflate || true)
[ -z "$deflate" ] || fail "$binary links libdeflate dynamically (Package.swift links libdeflate.a in):
$deflate"
echo "check-install: ldd: $(echo "$libraries" | wc -l) system libraries, none from $toolchain, libdeflate linked in"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$samples" "$work/samples"
run="cd '$work' && PATH='$prefix/bin:/usr/bin:/bin' && treasury-report --version && treasury-report statements samples --out out --format csv,camt053 --no-progress 2>/dev/null && treasury-report verify out >/dev/null 2>&1 && treasury-report validate out >/dev/null 2>&1"
if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  version=$(unshare -m --propagation private sh -c "mount -t tmpfs none '$toolchain' && [ ! -e '$toolchain/usr' ] && $run") \
    || fail "the installed binary does not run with $toolchain hidden"
  echo "check-install: $binary $version ran statements, verify and validate from PATH with $toolchain hidden"
else
  version=$(env -i sh -c "$run") || fail "the installed binary does not run from PATH"
  echo "check-install: $binary $version ran from PATH (not root: the toolchain could not be hidden; ldd above is the proof)"
fi

page="$prefix/share/man/man1/treasury-report.1"
grep -q '^\.Dt TREASURY-REPORT 1' "$page" || fail "$page is not treasury-report's man page"
grep -q 'statements' "$page" || fail "$page does not describe the statements command"
echo "check-install: man page $page"
