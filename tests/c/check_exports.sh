#!/bin/sh
# check_exports.sh LIB - every dynamic symbol the shared library defines must
# carry the parchunk_ prefix (nothing internal leaks into the ABI), and the
# public API must actually be exported (more than 20 symbols).
set -eu
lib=${1:?usage: check_exports.sh path/to/libparchunk.so}
[ -f "$lib" ] || { echo "check_exports: no such file: $lib" >&2; exit 1; }
# nm -D --defined-only prints "ADDRESS TYPE NAME"; keep the names.
symbols=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }')
count=$(printf '%s\n' "$symbols" | grep -c '^parchunk_' || true)
stray=$(printf '%s\n' "$symbols" | grep -v '^parchunk_' | grep -v '^$' || true)
status=0
if [ -n "$stray" ]; then
    echo "check_exports: symbols without the parchunk_ prefix in $lib:" >&2
    printf '  %s\n' $stray >&2
    status=1
fi
if [ "$count" -le 20 ]; then
    echo "check_exports: only $count parchunk_ symbols exported (expected > 20)" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "check_exports: $count symbols, all parchunk_-prefixed"
exit $status
