#!/usr/bin/env bash
# Checks the toolchain scripts' contract (`make toolchain-test`): `--print-env` prints NAME=value lines
# and nothing else, even on a run that installs (installs write to stderr), and load_env refuses any
# other line, so install progress can never be evaluated as commands.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/toolchain/lib.sh
source tests/toolchain/lib.sh
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }

# Every line a NAME=value assignment: checked by load_env, and by bash itself with the values quoted.
assignments_only() {
  local script=$1 out
  out=$("$script" --print-env)
  if grep -qvE '^[A-Z_][A-Z0-9_]*=' <<<"$out"; then bad "$script --print-env: $(grep -vE '^[A-Z_][A-Z0-9_]*=' <<<"$out" | head -n 1)"; return; fi
  if ! (load_env "$script"); then bad "load_env $script"; return; fi
  ok "$script --print-env prints assignments only ($(wc -l <<<"$out") lines)"
}
assignments_only tests/toolchain/swift.sh

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT

# load_env refuses anything else, naming the line.
fake=$tools/fake.sh
printf '#!/bin/sh\necho "A=1"\necho "Get:1 http://deb.debian.org bookworm InRelease"\n' >"$fake"
chmod +x "$fake"
if (load_env "$fake") 2>"$tools/err"; then bad "load_env accepted a progress line"
elif grep -q 'Get:1' "$tools/err"; then ok "load_env refuses a progress line and names it"
else bad "load_env failed without naming the line"; fi
cat >"$fake" <<'FAKE'
#!/bin/sh
echo 'A=$(touch "$0.evaluated")'
FAKE
if (load_env "$fake" && [[ $A == "\$(touch \"\$0.evaluated\")" ]]) && [[ ! -e $fake.evaluated ]]; then
  ok "load_env takes values verbatim, never evaluates them"
else
  bad "load_env evaluated a value"
fi

echo "toolchain: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
