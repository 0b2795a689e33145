#!/usr/bin/env bash
# own-image.sh: strata's own image (the root Dockerfile), built for real and
# checked for waste.
#
#   bash .ci/lib/daemons.sh run --debian -- bash .ci/lib/own-image.sh [STRATA]
#
# STRATA is a strata binary to run the checks with (default: built here).
# Needs the daemons of daemons.sh: STRATA_BUILDKIT_HOST, STRATA_DOCKER_HOST,
# STRATA_BUILDCTL and STRATA_TEST_OCI_LAYOUT with strata-test/debian:bookworm
# (--debian). Without daemons it skips, or fails when STRATA_TEST_DAEMONS is
# "require".
#
# Docker Hub and gcr.io are not reachable here, so the Dockerfile's two bases
# are replaced, through BuildKit named contexts, by local stand-ins:
#   golang:GO_VERSION-bookworm (GO_VERSION from the Dockerfile's ARG):
#     strata-test/debian:bookworm with this machine's Go at /usr/local/go,
#     its GOPROXY, GOSUMDB and GOFLAGS, and its CA bundle (the module proxy
#     answers through a mirror that only the host's bundle trusts), built
#     by buildctl into an OCI layout. The Dockerfile's `go mod download`
#     goes through the module proxy like any user's build.
#   gcr.io/distroless/static-debian12:nonroot: one layer with what
#     distroless/static holds and strata needs: CA certificates, tzdata,
#     /etc/passwd and /etc/group with root, nobody and nonroot (65532),
#     /etc/nsswitch.conf, /tmp (1777), /home/nonroot (65532, 0700); made
#     by internal/testenv/cmd/testimage from a tar.
# Then:
#   1. `strata analyze --build` with BuildKit (the built-in Dockerfile
#      frontend: the `# syntax=` image is on Docker Hub), lint first as a
#      gate, and the CI gates `max-wasted-bytes: 0` (strata) and
#      highestWastedBytes 0 (dive's rules): it must pass, and the JSON report
#      must say 0 wasted bytes (summary, user, attribution), every layer of
#      the build tied to its Dockerfile line, /usr/local/bin/strata the
#      biggest file, made by the COPY --from=build line.
#   2. The same build with buildctl (every step cached) exported to dockerd:
#      its layers must be the ones analyzed; `strata analyze
#      docker-daemon:...` on it must say 0 wasted bytes too; the image's
#      user is 65532:65532; `docker run` runs `strata version` (the version
#      and commit given as build arguments) and `strata lint` on a bind
#      mounted Dockerfile (clean: exit 0, nothing printed; bad: exit 1 with
#      the finding) as uid 65532, and the process's uid is checked with the
#      host's static busybox mounted in. The final stage has no libc: that
#      strata runs there shows it is static.
# Prints the time of each step and the total: 68 to 83 s here (2 shared
# cores), of which the cold `go build` in the build container about 42 s,
# `go mod download` 6 to 11 s and the golang stand-in 15 to 26 s; daemons.sh
# adds 13 to 17 s (81 to 100 s in all).
# STRATA_OWN_IMAGE_KEEP=1 keeps the work directory (reports, build logs).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
export PATH="/usr/local/go/bin:$PATH"

start=$SECONDS
say() { printf 'own-image.sh: [%3ss] %s\n' "$((SECONDS - start))" "$*" >&2; }
fail() { printf 'own-image.sh: FAIL: %s\n' "$*" >&2; exit 1; }

missing=
for v in STRATA_BUILDKIT_HOST STRATA_DOCKER_HOST STRATA_BUILDCTL STRATA_TEST_OCI_LAYOUT; do
	[[ -n ${!v:-} ]] || missing+=" $v"
done
if [[ -n $missing ]]; then
	[[ ${STRATA_TEST_DAEMONS:-} != require ]] || fail "not set:$missing (run under daemons.sh run --debian)"
	say "skipped: no daemons (not set:$missing); run under bash .ci/lib/daemons.sh run --debian"
	exit 0
fi
if ! command -v jq >/dev/null 2>&1; then
	[[ $(id -u) == 0 ]] || fail "jq is not installed (apt-get install jq)"
	say "installing Debian's jq"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends jq >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends jq >/dev/null; }
fi

docker=(docker -H "$STRATA_DOCKER_HOST")
buildctl=("$STRATA_BUILDCTL" --addr "$STRATA_BUILDKIT_HOST")
tag="strata-test/strata:own-image"
work=$(mktemp -d "${TMPDIR:-/tmp}/strata-own-image.XXXXXX")
chmod 755 "$work" # bind mounted into a container that runs as 65532
cleanup() {
	"${docker[@]}" rmi -f "$tag" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
[[ -z ${STRATA_OWN_IMAGE_KEEP:-} ]] || { trap - EXIT; say "keeping $work"; }

# The refs of the Dockerfile's FROM lines, as BuildKit's named contexts
# match them (after ARG expansion).
go_version=$(sed -n 's/^ARG GO_VERSION=\([0-9.]*\)$/\1/p' Dockerfile)
[[ -n $go_version ]] || fail "no ARG GO_VERSION=... in Dockerfile"
golang_ref=golang:$go_version-bookworm
distroless_ref=gcr.io/distroless/static-debian12:nonroot
for ref in "golang:\${GO_VERSION}-bookworm" "$distroless_ref"; do
	grep -q "^FROM $ref\( \|$\)" Dockerfile || fail "Dockerfile has no FROM $ref: update own-image.sh"
done
host_go=$(go env GOVERSION)
[[ $host_go == "go$go_version" ]] || say "warning: the Dockerfile builds with Go $go_version; the stand-in has this machine's $host_go"

debian_digest=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "strata-test/debian:bookworm") | .digest' \
	"$STRATA_TEST_OCI_LAYOUT/index.json")
[[ $debian_digest == sha256:* ]] || fail "no strata-test/debian:bookworm in $STRATA_TEST_OCI_LAYOUT: start the daemons with --debian"

strata=${1:-}
if [[ -z $strata ]]; then
	say "building strata and testimage"
	strata=$work/bin/strata
	go build -o "$strata" ./cmd/strata
fi
strata=$(realpath "$strata")
go build -o "$work/bin/testimage" ./internal/testenv/cmd/testimage

# --- the distroless/static stand-in ----------------------------------------
say "making the $distroless_ref stand-in"
root=$work/distroless
mkdir -p "$root"/etc/ssl/certs "$root"/tmp "$root"/root "$root"/home/nonroot "$root"/usr/share
cp /etc/ssl/certs/ca-certificates.crt "$root"/etc/ssl/certs/
if [[ -d /usr/share/zoneinfo ]]; then
	cp -a /usr/share/zoneinfo "$root"/usr/share/
fi
cat >"$root"/etc/passwd <<-'EOF'
	root:x:0:0:root:/root:/sbin/nologin
	nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
	nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$root"/etc/group <<-'EOF'
	root:x:0:
	nobody:x:65534:
	tty:x:5:
	staff:x:50:
	nonroot:x:65532:
EOF
printf 'hosts: files dns\nnetworks: files\n' >"$root"/etc/nsswitch.conf
printf 'PRETTY_NAME="Distroless (strata-test stand-in)"\nID=debian\nVERSION_ID="12"\n' >"$root"/etc/os-release
chmod 1777 "$root"/tmp
chmod 700 "$root"/root "$root"/home/nonroot
chown 65532:65532 "$root"/home/nonroot
tar --numeric-owner -C "$root" -cf "$work/distroless.tar" .
distroless_digest=$("$work/bin/testimage" rootfs -tar "$work/distroless.tar" -ref strata-test/distroless-static:nonroot \
	-created-by "strata-test stand-in for $distroless_ref" -oci "$work/distroless-oci" | awk '{print $2}')
rm -rf "$root" "$work/distroless.tar"

# --- the golang stand-in ---------------------------------------------------
say "building the $golang_ref stand-in (buildctl)"
mkdir -p "$work/golang" "$work/hostcerts"
cp /etc/ssl/certs/ca-certificates.crt "$work/hostcerts/"
cat >"$work/golang/Dockerfile" <<-'EOF'
	FROM strata-test/debian:bookworm
	COPY --from=hostcerts ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
	COPY --from=goroot / /usr/local/go
	ARG GOPROXY GOSUMDB GOFLAGS
	ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    GOPATH=/go GOTOOLCHAIN=local GOPROXY=$GOPROXY GOSUMDB=$GOSUMDB GOFLAGS=$GOFLAGS
	WORKDIR /go
EOF
"${buildctl[@]}" build --progress plain --frontend dockerfile.v0 \
	--local context="$work/golang" --local dockerfile="$work/golang" \
	--local goroot="$(go env GOROOT)" --local hostcerts="$work/hostcerts" \
	--opt context:goroot=local:goroot --opt context:hostcerts=local:hostcerts \
	--oci-layout strata-test="$STRATA_TEST_OCI_LAYOUT" \
	--opt "context:strata-test/debian:bookworm=oci-layout://strata-test@$debian_digest" \
	--opt "build-arg:GOPROXY=$(go env GOPROXY)" --opt "build-arg:GOSUMDB=$(go env GOSUMDB)" \
	--opt "build-arg:GOFLAGS=$(go env GOFLAGS)" \
	--output "type=oci,dest=$work/golang-oci,tar=false,compression=uncompressed" \
	--metadata-file "$work/golang.json" 2>"$work/golang.log" ||
	{ tail -n 30 "$work/golang.log" >&2; fail "building the $golang_ref stand-in"; }
golang_digest=$(jq -r '."containerimage.digest"' "$work/golang.json")
[[ $golang_digest == sha256:* ]] || fail "no digest in buildctl's metadata: $(cat "$work/golang.json")"

# --- 1. strata analyze --build ---------------------------------------------
version=$(git describe --tags --always 2>/dev/null || echo own-image-test)
commit=$(git rev-parse HEAD 2>/dev/null || echo 0000000)
build_args=(--build-arg "VERSION=$version" --build-arg "COMMIT=$commit")
contexts=(--build-context "$golang_ref=oci-layout://$work/golang-oci@$golang_digest"
	--build-context "$distroless_ref=oci-layout://$work/distroless-oci@$distroless_digest")
printf 'analyze:\n  max-wasted-bytes: 0\n' >"$work/strata.yaml"
printf 'rules:\n  highestWastedBytes: 0\n' >"$work/dive-ci"

say "strata analyze --build (the Go build runs in the container, cold)"
build_start=$SECONDS
set +e
"$strata" analyze --build --builder "buildkit://$STRATA_BUILDKIT_HOST" --builtin-frontend --lint-gate \
	"${contexts[@]}" "${build_args[@]}" \
	--ci --config "$work/strata.yaml" --ci-config "$work/dive-ci" \
	--format json --entries=false --build-progress plain --progress never \
	. >"$work/build.json" 2>"$work/build.log"
code=$?
set -e
build_secs=$((SECONDS - build_start))
if ((code != 0)); then
	tail -n 40 "$work/build.log" >&2
	[[ ! -s $work/build.json ]] || jq -c '.gates, .summary' "$work/build.json" >&2 || true
	fail "strata analyze --build exited $code"
fi
# BuildKit's plain progress: "#7 [build 3/6] RUN ... go mod download", then
# "#7 DONE 12.3s". The steps that took a second or more:
awk '/^#[0-9]+ / && !($1 in name) {name[$1] = substr($0, length($1) + 2, 70)}
	$2 == "DONE" && $3 + 0 >= 1 {printf "own-image.sh:        %6s  %s\n", $3, name[$1]}' "$work/build.log" >&2
say "built and analyzed in ${build_secs}s: $(jq -r '"\(.summary.layers) layers, \(.summary.totalSize) bytes, \(.summary.wastedBytes) wasted; build \(.attribution.build.buildSeconds | floor) s"' "$work/build.json")"

check() { # check FILE JQ-FILTER WHAT: the filter must give true
	jq -e "$2" "$1" >/dev/null || { jq -c "$4" "$1" >&2 2>/dev/null || true; fail "$1: $3"; }
}
check_report() { # the figures both reports must show
	local f=$1
	check "$f" '.summary.wastedBytes == 0 and .summary.userWastedBytes == 0' "wasted bytes, want 0" '.summary, .waste'
	check "$f" '.dive.wastedBytes == 0' "dive's wasted bytes, want 0" '.dive'
	check "$f" '.gates.passed == true and (.gates.results | length > 0)' "gates did not pass" '.gates'
	check "$f" '[.gates.results[] | select(.name == "max-wasted-bytes" and .result == "PASS")] | length == 1' \
		"no passing max-wasted-bytes gate" '.gates'
	check "$f" '.biggestFiles[0].path == "/usr/local/bin/strata" and .biggestFiles[0].size > 1000000' \
		"/usr/local/bin/strata is not the biggest file" '.biggestFiles[0:3]'
}
f=$work/build.json
check_report "$f"
check "$f" '.attribution.method == "buildkit" and .attribution.wastedBytes == 0 and .attribution.unmatchedLayers == 0' \
	"attribution" '.attribution | del(.lint)'
check "$f" '[.layers[] | select(.base == false and .instruction == null)] | length == 0' \
	"a layer of the build is not tied to its Dockerfile line" '.layers'
check "$f" '.layers[.biggestFiles[0].layer - 1].instruction.text | startswith("COPY --from=build /out/strata")' \
	"strata is not in the layer of COPY --from=build" '[.layers[].instruction]'
if grep -Eq '(^|/)Dockerfile:[0-9]+' "$work/build.log"; then
	grep -E '(^|/)Dockerfile:[0-9]+' "$work/build.log" >&2
	fail "strata lint found something during the build"
fi
layers=$(jq -c '[.layers[].diffID]' "$f")

# --- 2. the image in dockerd, run -------------------------------------------
say "the same build with buildctl (cached), loaded into dockerd"
export_start=$SECONDS
layout_opts=(--oci-layout "golang=$work/golang-oci" --oci-layout "distroless=$work/distroless-oci"
	--opt "context:$golang_ref=oci-layout://golang@$golang_digest"
	--opt "context:$distroless_ref=oci-layout://distroless@$distroless_digest")
"${buildctl[@]}" build --progress plain --frontend dockerfile.v0 --opt cmdline=own-image \
	--local context=. --local dockerfile=. "${layout_opts[@]}" \
	--opt "build-arg:VERSION=$version" --opt "build-arg:COMMIT=$commit" \
	--output "type=docker,name=$tag,dest=$work/image.tar" 2>"$work/export.log" ||
	{ tail -n 30 "$work/export.log" >&2; fail "buildctl build"; }
"${docker[@]}" load -q -i "$work/image.tar" >/dev/null
rm -f "$work/image.tar"
say "exported and loaded in $((SECONDS - export_start))s"

got=$("${docker[@]}" image inspect -f '{{json .RootFS.Layers}}' "$tag")
[[ $got == "$layers" ]] || fail "dockerd's image has layers $got, the analyzed one $layers"
DOCKER_HOST=$STRATA_DOCKER_HOST "$strata" analyze docker-daemon:"$tag" \
	--ci --config "$work/strata.yaml" --ci-config "$work/dive-ci" \
	--format json --entries=false --progress never >"$work/daemon.json" 2>"$work/daemon.log" ||
	{ cat "$work/daemon.log" >&2; fail "strata analyze docker-daemon:$tag exited non-zero"; }
check_report "$work/daemon.json"

user=$("${docker[@]}" image inspect -f '{{.Config.User}}' "$tag")
[[ $user == 65532:65532 ]] || fail "the image's user is '$user', want 65532:65532"
run=("${docker[@]}" run --rm --network none)
out=$("${run[@]}" "$tag" version)
[[ $out == *"$version"* && $out == *"$commit"* ]] || fail "strata version in the container printed:
$out
want version $version and commit $commit"
say "in the container: $(head -n 1 <<<"$out")"
bb=/bin/busybox
[[ -x $bb ]] || fail "no static busybox at $bb (busybox-static)"
id=$("${run[@]}" -v "$bb:/busybox:ro" --entrypoint /busybox "$tag" id)
[[ $id == "uid=65532(nonroot) gid=65532(nonroot)"* ]] || fail "id in the container: $id"

lintdir=$work/lint
mkdir -p "$lintdir"
chmod 755 "$lintdir"
cp Dockerfile "$lintdir/Dockerfile"
printf 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n' >"$lintdir/bad.Dockerfile"
chmod 644 "$lintdir"/*
# lint_in_container FILE: strata lint FILE in the container, as 65532, on a
# read-only bind mount; sets code, out (stdout) and err (stderr less the
# expected notice: the image has no ShellCheck, so strata says it skips SC
# checks, as docs/installation.md says).
lint_in_container() {
	set +e
	out=$("${run[@]}" -v "$lintdir:/src:ro" "$tag" lint "$1" 2>"$work/lint.err")
	code=$?
	set -e
	err=$(grep -v '^strata: shellcheck not found on PATH' "$work/lint.err" || true)
}
lint_in_container Dockerfile
[[ $code == 0 && -z $out && -z $err ]] || fail "strata lint Dockerfile in the container: exit $code, want 0 and nothing printed:
$out$err"
lint_in_container bad.Dockerfile
[[ $code == 1 && $out == *DL3008* && -z $err ]] || fail "strata lint bad.Dockerfile in the container: exit $code, want 1 and DL3008:
$out$err"
say "runs as $id; lints a clean and a bad Dockerfile"

say "ok: strata's own image has no waste ($(jq -r '"\(.summary.layers) layers, \(.summary.totalSize) bytes"' "$f")); total $((SECONDS - start))s"
