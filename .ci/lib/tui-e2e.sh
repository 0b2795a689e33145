#!/usr/bin/env bash
# End-to-end test of the explorer: runs the real strata binary in tmux,
# sends keys as a person would, and checks what the pane shows and the
# exit statuses. Needs tmux (Debian package tmux).
#
#   bash .ci/lib/tui-e2e.sh [STRATA]      (default: ./strata)
set -euo pipefail
cd "$(dirname "$0")/../.."

strata=$(realpath "${1:-./strata}")
example="oci:$PWD/testdata/images/example"
command -v tmux >/dev/null || { echo "tui-e2e: tmux is not installed" >&2; exit 2; }
[ -x "$strata" ] || { echo "tui-e2e: no strata binary at $strata (go build -o strata ./cmd/strata)" >&2; exit 2; }

work=$(mktemp -d)
sock="strata-e2e-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

t() { tmux -L "$sock" "$@"; }
# A session that lives as long as the test keeps the server up: killing the
# last session makes tmux exit, and a new-session racing that exit fails
# with "server exited unexpectedly".
t new-session -d -s keep "sleep 3600"
screen() { t capture-pane -p -t e2e "$@"; }
keys() { t send-keys -t e2e "$@"; }
fail() {
  echo "tui-e2e: FAIL: $*" >&2
  echo "--- the pane:" >&2
  screen >&2 || true
  exit 1
}
pass() { echo "tui-e2e: ok   $*"; }

# start NAME COLS ROWS COMMAND...: runs COMMAND in a fresh session of that
# size; its exit status lands in $work/NAME.exit. The colour settings are
# fixed (no NO_COLOR/CLICOLOR from the caller; CI=true as CI systems set it)
# so that what the pane shows does not depend on where the test runs.
start() {
  local name=$1 cols=$2 rows=$3
  shift 3
  t kill-session -t e2e 2>/dev/null || true
  rm -f "$work/$name.exit"
  t new-session -d -s e2e -x "$cols" -y "$rows" \
    "env -u NO_COLOR -u CLICOLOR -u CLICOLOR_FORCE -u COLORTERM TERM=xterm-256color CI=true $(printf '%q ' "$@"); echo \$? > $(printf '%q' "$work/$name.exit"); sleep 600"
}

# wait_for TEXT: until the pane shows TEXT, at most 10 s.
wait_for() {
  local _
  for _ in $(seq 100); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the pane never showed: $1"
}

# eventually MESSAGE COMMAND...: until COMMAND succeeds, at most 10 s (the
# explorer redraws after background jobs, so a screen may lag a key).
eventually() {
  local msg=$1 _
  shift
  for _ in $(seq 100); do
    "$@" && return 0
    sleep 0.1
  done
  fail "$msg"
}
shows() { screen | grep -q -- "$1"; }
tree_rows_are() { [ "$(screen | grep -c '├─\|└─')" -eq "$1" ]; }

# exit_is NAME CODE: the command of session NAME ended with CODE.
exit_is() {
  local _
  for _ in $(seq 100); do
    [ -s "$work/$1.exit" ] && break
    sleep 0.1
  done
  [ -s "$work/$1.exit" ] || fail "$1: strata did not exit"
  [ "$(cat "$work/$1.exit")" = "$2" ] || fail "$1: exit status $(cat "$work/$1.exit"), want $2"
}

# Explore the shipped example: search, wasted view and jump, findings,
# help, a resize down to 80x24, then q.
start explore 120 32 "$strata" tui "$example"
wait_for "Files as of layer 6"
wait_for "3   !  72.8 kB  RUN apt-get update &&"
wait_for "+0 added ~1 modified -0 removed"
screen -e | grep -q $'\e\\[[0-9;]*9[0-7]m' || fail "no colour without NO_COLOR"
pass "opens on the final file system, in colour"

keys Tab / s e r v e r
wait_for "/ server"
wait_for "1 matching"
keys Enter
wait_for "esc clears"
eventually "search: /opt/app/server not shown" shows "└─ server"
eventually "search: the tree shows more than opt/app/server" tree_rows_are 3
keys Escape
pass "search filters the tree and keeps the parents"

keys w
wait_for "Wasted 120.0 kB in 3 paths"
wait_for "deleted: stored in layer 4, deleted by"
keys Enter
wait_for "Files as of layer 4"
eventually "wasted: enter does not show release.tar.gz as added in layer 4" shows "+  90.0 kB  │  └─ release.tar.gz"
pass "wasted view, enter shows the file in the tree"

keys f
wait_for "Findings · all layers (6)"
wait_for "environment file (.env)"
keys BTab Home
wait_for "Findings · layer 1 (1 of 6)"
pass "findings view, filtered by the selected layer"

keys '?'
wait_for "Keys (? or esc to close)"
wait_for "hide/show unchanged"
keys Escape
wait_for "Findings · layer 1"

t resize-window -t e2e -x 80 -y 24
# the source is cut in the middle to fit 80 columns, wherever the clone is
title_cut() { screen | head -1 | grep -q "^strata oci:/.*….* · 6 layers"; }
eventually "resize: the title does not cut the source in the middle" title_cut
lines=$(screen | wc -l)
[ "$lines" -eq 24 ] || fail "resize: $lines lines, want 24"
screen | head -1 | grep -q "^strata oci:" || fail "resize: the title line is gone"
screen | sed -n 2p | grep -q "Layers (6, 2 base)" || fail "resize: the layers pane does not start on line 2"
pass "resizes to 80x24 without wrapping"

keys q
exit_is explore 0
pass "q exits 0"

# NO_COLOR: no colour at all, the markers still there; ctrl+c exits 130.
start nocolor 80 24 env NO_COLOR=1 "$strata" tui "$example"
wait_for "Files as of layer 6"
wait_for "~  30.0 kB"
if screen -e | grep -q $'\e\\[[0-9;]*\\(3[0-7]\\|9[0-7]\\|38;\\)'; then
  fail "NO_COLOR: colour codes on the screen"
fi
screen -e | grep -q $'\e\\[[0-9;]*7m' || fail "NO_COLOR: the cursor row is not in reverse video"
keys C-c
exit_is nocolor 130
pass "NO_COLOR keeps markers and drops colours; ctrl+c exits 130"

# A source that never delivers: the loading view shows at once, q aborts.
mkfifo "$work/never.tar"
start loading 80 24 "$strata" tui "docker-archive:$work/never.tar"
wait_for "opening the image"
wait_for "q or ctrl+c aborts"
keys q
exit_is loading 130
pass "q while loading exits 130"

# strata analyze --tui opens the same explorer.
start analyze 100 30 "$strata" analyze --tui "$example"
wait_for "Files as of layer 6"
keys q
exit_is analyze 0
pass "strata analyze --tui"
