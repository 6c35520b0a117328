#!/usr/bin/env bash
# Runs shellcheck over every shell script the repository tracks (by name `*.sh`, or by a shell shebang:
# .ci/run), following sourced files; zero warnings allowed (`make lint`). Installs Debian's
# package when shellcheck is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/toolchain/lib.sh
source tests/toolchain/lib.sh
apt_ensure shellcheck shellcheck

scripts=()
while IFS= read -r -d '' f; do
  if [[ $f == *.sh ]] || head -n 1 "$f" | grep -qE '^#!.*\b(ba)?sh\b'; then scripts+=("$f"); fi
done < <(git ls-files -z --cached --others --exclude-standard)
shellcheck -x "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts, no warnings"
