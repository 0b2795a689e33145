#!/usr/bin/env bash
# perf-image.sh: the analyzer's speed fixture, a Debian-based image of about
# 510 MB in 7 layers with realistic waste, built by a real dockerd on the
# debootstrap'd strata-test/debian:bookworm base:
#
#   $OUT/debian510.tar        `docker save` archive (legacy docker-archive format)
#   $OUT/debian510-oci/       OCI image layout, gzip layers (level 6), ref strata-perf/debian510:latest
#
#   perf-image.sh [--force]   OUT is $STRATA_PERF_DIR, default /tmp/strata-perf
#
# Uses the dockerd at $STRATA_DOCKER_HOST when set (it must have
# strata-test/debian:bookworm: `daemons.sh start --debian`), otherwise starts
# its own with daemons.sh and stops it afterwards. Does nothing when both
# outputs exist, unless --force.
#
# Layers (sizes are uncompressed, as `docker history` shows them):
#   1 debian:bookworm minbase (~160 MB)
#   2 RUN apt-get update && apt-get install python3 (apt lists, pkgcache and .debs kept: DL3009 waste)
#   3 RUN a random blob in /opt/blob.bin
#   4 RUN rm /opt/blob.bin (a whiteout: the blob is stored, then deleted)
#   5 COPY assets /srv/assets (generated files)
#   6 RUN chmod -R g+w /srv/assets (the same bytes again, metadata only)
#   7 RUN apt-get install curl && rm -rf /var/lib/apt/lists/* (whiteouts of layer 2's lists)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=daemons.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemons.sh"

PERF_OUT=${STRATA_PERF_DIR:-/tmp/strata-perf}
PERF_REF=strata-perf/debian510:latest
# Tuned so that the image is about 510 MB with Debian bookworm's packages of
# late 2026; the blob absorbs drift in package sizes.
PERF_BLOB_MB=${STRATA_PERF_BLOB_MB:-44}
PERF_ASSET_FILES=160 # of 128 KiB each: 20 MiB

perf_main() {
	if [[ ${1:-} != --force && -s $PERF_OUT/debian510.tar && -s $PERF_OUT/debian510-oci/index.json ]]; then
		daemons_log "perf image already in $PERF_OUT (--force to rebuild)"
		return 0
	fi
	local start=$SECONDS
	if [[ -z ${STRATA_DOCKER_HOST:-} ]]; then
		local env
		env=$(daemons_start --debian --no-buildkit)
		eval "$env"
		# shellcheck disable=SC2064 # expand the directory now
		trap "daemons_stop '$STRATA_DAEMONS_DIR'" EXIT
	fi
	local docker=(docker -H "$STRATA_DOCKER_HOST")
	if ! "${docker[@]}" image inspect strata-test/debian:bookworm >/dev/null; then
		daemons_die "no strata-test/debian:bookworm in $STRATA_DOCKER_HOST: start it with daemons.sh start --debian"
		return 1
	fi

	local ctx
	ctx=$(mktemp -d)
	mkdir "$ctx/assets"
	local i
	for ((i = 0; i < PERF_ASSET_FILES; i++)); do
		head -c 131072 /dev/urandom >"$ctx/assets/asset-$i.bin"
	done
	cat >"$ctx/Dockerfile" <<-EOF
		FROM strata-test/debian:bookworm
		ENV DEBIAN_FRONTEND=noninteractive
		RUN apt-get update && apt-get install -y --no-install-recommends python3
		RUN mkdir -p /opt && head -c $((PERF_BLOB_MB * 1024 * 1024)) /dev/urandom > /opt/blob.bin
		RUN rm /opt/blob.bin
		COPY assets /srv/assets
		RUN chmod -R g+w /srv/assets
		RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
		CMD ["bash"]
	EOF
	daemons_log "building $PERF_REF"
	DOCKER_BUILDKIT=0 "${docker[@]}" build -q -t "$PERF_REF" "$ctx" >&2
	rm -rf "$ctx"

	mkdir -p "$PERF_OUT"
	rm -rf "$PERF_OUT/debian510.tar" "$PERF_OUT/debian510-oci"
	"${docker[@]}" save -o "$PERF_OUT/debian510.tar" "$PERF_REF"
	local testimage=$PERF_OUT/.testimage
	(cd "$DAEMONS_REPO" && go build -o "$testimage" ./internal/testenv/cmd/testimage)
	"$testimage" oci -docker-archive "$PERF_OUT/debian510.tar" -ref "$PERF_REF" -oci "$PERF_OUT/debian510-oci" -gzip-level 6 >/dev/null
	rm -f "$testimage"
	"${docker[@]}" rmi "$PERF_REF" >/dev/null
	# docker save and the layout write owner-only (or executable) files.
	find "$PERF_OUT" -type d -exec chmod 755 {} + && find "$PERF_OUT" -type f -exec chmod 644 {} +

	local size layers
	size=$(stat -c %s "$PERF_OUT/debian510.tar")
	layers=$(tar -xOf "$PERF_OUT/debian510.tar" manifest.json | grep -o '/layer.tar' | wc -l)
	daemons_log "perf image: $layers layers, docker-archive $((size / 1000000)) MB, OCI layout $(du -sm "$PERF_OUT/debian510-oci" | cut -f1) MiB, in $((SECONDS - start))s"
}

perf_main "$@"
