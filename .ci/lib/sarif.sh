#!/usr/bin/env bash
# sarif.sh: strata's SARIF, checked by Microsoft's SARIF multitool (the
# validator behind GitHub's and Azure DevOps' SARIF ingestion), on top of
# the JSON schema test in lint/report.
#
#   .ci/lib/sarif.sh
#
# Installs @microsoft/sarif-multitool with npm into a temporary directory
# (npm's own cache keeps later runs quick), writes SARIF for the golden
# fixtures, the shipped examples and a file that exercises ShellCheck
# findings with fixes, Unicode columns and a parse error, and fails on any
# error or warning the validator reports (its notes are suggestions).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="/usr/local/go/bin:$PATH"
multitool_version=${SARIF_MULTITOOL_VERSION:-5.7.0}

say() { printf 'sarif.sh: %s\n' "$*"; }
fail() { printf 'sarif.sh: FAIL: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || fail "npm is not installed"
work=$(mktemp -d "${TMPDIR:-/tmp}/strata-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT

say "installing @microsoft/sarif-multitool@$multitool_version"
npm install --loglevel=error --no-save --no-audit --no-fund --prefix "$work/npm" \
  "@microsoft/sarif-multitool@$multitool_version" >"$work/npm.log" 2>&1 || { cat "$work/npm.log"; fail "npm install"; }
multitool="$work/npm/node_modules/.bin/sarif-multitool"
[ -x "$multitool" ] || fail "no sarif-multitool after npm install"

say "building strata"
(cd "$repo" && go build -o "$work/strata" ./cmd/strata)

# Reports to validate (the validator wants the .sarif extension).
cp "$repo/testdata/golden/sarif.golden" "$work/golden.sarif"
(cd "$repo/testdata/golden/fixtures" && "$work/strata" lint -f sarif -o "$work/fixtures.sarif" . >/dev/null 2>&1) || true
(cd "$repo" && "$work/strata" lint -f sarif -o "$work/examples.sarif" examples >/dev/null 2>&1) || true
mkdir -p "$work/edge"
cat >"$work/edge/Dockerfile" <<'EOF'
# The café's image: Unicode before the flagged spans.
FROM débian AS b
RUN echo $HOME && cd /tmp && ls *.txt
RUN apt-get install -y curl
RUNN typo
FROM scratch
EOF
(cd "$work/edge" && "$work/strata" lint -f sarif -o "$work/edge.sarif" Dockerfile >/dev/null 2>&1) || true
"$work/strata" lint -f sarif -o "$work/clean.sarif" "$repo/examples/Dockerfile.good" >/dev/null 2>&1 || true

mkdir -p "$work/validation"
status=0
for f in "$work"/*.sarif; do
  [ -s "$f" ] || fail "$(basename "$f") was not written"
  out="$work/validation/$(basename "$f")"
  "$multitool" validate "$f" --output "$out" --log ForceOverwrite >"$work/validate.log" 2>&1 ||
    { cat "$work/validate.log"; fail "sarif-multitool validate $(basename "$f") did not run"; }
  # The multitool exits 0 whatever it finds: read its own SARIF log.
  # shellcheck disable=SC2016 # JavaScript, not shell
  if ! node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const bad = log.runs.flatMap(r => r.results || []).filter(r => (r.level || "warning") !== "note" && r.level !== "none");
    for (const r of bad) console.log(`${r.level || "warning"} ${r.ruleId}: ${r.message.text || JSON.stringify(r.message)}`);
    process.exit(bad.length ? 1 : 0);
  ' "$out"; then
    grep -E ': (error|warning) ' "$work/validate.log" || true
    say "$(basename "$f"): rejected"
    status=1
    continue
  fi
  results=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0].results.length)' "$f")
  say "$(basename "$f"): valid ($results results)"
done
[ "$status" -eq 0 ] || fail "the SARIF multitool reported errors or warnings"
say "ok"
