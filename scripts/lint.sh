#!/bin/bash
# `make lint`: static checks of the kernel code. Every step runs; the script
# fails if any step reports anything:
#   checkpatch  --strict --no-tree -f (any ERROR/WARNING/CHECK fails)
#   sparse      make C=2 CF=-D__CHECK_ENDIAN__ (x86_64 and s390x)
#   W=1         gcc extra warnings build (x86_64 and s390x)
#   kernel-doc  -none with all warnings, on every kernel source file
# Builds happen in build/lint/ (a fresh source copy per step).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh
LINT=$KEVENT_BUILD/lint
mkdir -p "$LINT"

shopt -s nullglob
FILES=(kevent/*.c kevent/*.h include/linux/*.h include/uapi/linux/*.h
       drivers/s390/char/*.c drivers/s390/char/*.h
       tools/testing/selftests/kevent/kmod/*.[ch] tools/kevent/bench/kmod/*.[ch]
       tools/testing/selftests/kevent/kunit/*.c compat/*.h)
shopt -u nullglob
failed=()

step() { echo; echo "==== lint: $*"; }

if [ ${#FILES[@]} -eq 0 ]; then
	echo "lint: no kernel source files found" >&2
	exit 1
fi

# --- checkpatch -------------------------------------------------------------
step "checkpatch --strict (${#FILES[@]} files)"
if perl "$CHECKPATCH" --strict --no-tree --show-types --quiet --no-summary \
	-f "${FILES[@]}" > "$LINT/checkpatch.log" 2>&1 && ! [ -s "$LINT/checkpatch.log" ]; then
	echo "ok"
else
	cat "$LINT/checkpatch.log"
	n=$(grep -cE '^(ERROR|WARNING|CHECK):' "$LINT/checkpatch.log" || true)
	failed+=("checkpatch: $n ERROR/WARNING/CHECK (build/lint/checkpatch.log)")
fi

# --- kernel builds with sparse and W=1 ---------------------------------------
# kbuild_lint NAME ARCH ARGS...: build a fresh copy with extra kbuild ARGS and
# fail on any warning/error line that points into our sources.
kbuild_lint() {
	local name=$1 arch=$2; shift 2
	local src=$LINT/$name-$arch log=$LINT/$name-$arch.log rc=0
	kevent_arch_vars "$arch"
	step "$name ($arch)"
	rm -rf "$src"
	mkdir -p "$src"
	rsync -a --exclude=/build/ --exclude=/.git/ --exclude=/results/ \
		--filter=':- .gitignore' ./ "$src/"
	make -C "$KDIR" M="$src" "${KMAKE_ARGS[@]}" -j"$(nproc)" KEVENT_DEV=1 "$@" modules \
		> "$log" 2>&1 || rc=$?
	# Warnings from the distribution's kernel headers are not ours to fix;
	# they are listed but do not fail the lint.
	local ours theirs
	ours=$(grep -E '(warning|error):' "$log" | grep -F "$src/" || true)
	theirs=$(grep -E '(warning|error):' "$log" | grep -vF "$src/" || true)
	if [ -n "$theirs" ]; then
		echo "(ignored, outside our tree: $(wc -l <<<"$theirs") lines, see $log)"
	fi
	if [ "$rc" -ne 0 ] || [ -n "$ours" ]; then
		sed "s|$src/||g" "$log" | grep -vE '^(make|  [A-Z]+ |Skipping BTF)' || true
		failed+=("$name $arch: $( [ -n "$ours" ] && wc -l <<<"$ours" || echo 0) warning/error lines, make rc=$rc ($log)")
	else
		echo "ok"
	fi
}
kbuild_lint sparse x86_64 C=2 CF=-D__CHECK_ENDIAN__
kbuild_lint sparse s390x C=2 CF=-D__CHECK_ENDIAN__
kbuild_lint W1 x86_64 W=1
kbuild_lint W1 s390x W=1

# --- kernel-doc ---------------------------------------------------------------
# 6.1's kernel-doc has no -Wall; -v enables the same extra checks there.
KDOC_W=-v
grep -q '"Wall"' "$KERNEL_DOC" && KDOC_W=-Wall
step "kernel-doc -none $KDOC_W"
if perl "$KERNEL_DOC" -none "$KDOC_W" "${FILES[@]}" > "$LINT/kernel-doc.log" 2>&1 &&
   ! grep -qiE 'warning|error' "$LINT/kernel-doc.log"; then
	echo "ok"
else
	cat "$LINT/kernel-doc.log"
	failed+=("kernel-doc: $(grep -ciE 'warning|error' "$LINT/kernel-doc.log" || true) warnings (build/lint/kernel-doc.log)")
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
	echo "lint FAILED:"
	printf '  %s\n' "${failed[@]}"
	exit 1
fi
echo "lint passed"
