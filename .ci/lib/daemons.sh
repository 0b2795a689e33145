#!/usr/bin/env bash
# daemons.sh: a real Docker Engine and a real BuildKit daemon for strata's
# tests, private to one temporary directory, with locally made base images.
#
#   daemons.sh install                   apt packages the daemons need (idempotent)
#   daemons.sh buildkit-bin              build (or reuse) buildkitd and buildctl; print their directory
#   daemons.sh start [--debian] [--no-docker] [--no-buildkit]
#                                        start the daemons, load the base images, print `export` lines;
#                                        the daemons keep running until `stop`
#   daemons.sh stop [DIR... | --all]     stop the daemons of DIR (default $STRATA_DAEMONS_DIR), unmount
#                                        what is mounted under it and remove it; --all: every
#                                        /tmp/strata-daemons.* left behind
#   daemons.sh run [start options] -- COMMAND...
#                                        start, run COMMAND with the variables exported, stop whatever
#                                        happens; exits with COMMAND's status
#   daemons.sh selftest                  with the variables exported: build a 3-step Dockerfile
#                                        FROM strata-test/busybox with each daemon's own CLI
#
# Exported by start/run:
#   STRATA_DOCKER_HOST=unix:///tmp/strata-daemons.XXXXXX/docker.sock
#   STRATA_BUILDKIT_HOST=unix:///tmp/strata-daemons.XXXXXX/buildkitd.sock
#   STRATA_TEST_OCI_LAYOUT   OCI layout holding the base images, named by full reference
#   STRATA_BUILDCTL          the buildctl binary matching the daemon
#   STRATA_BUILDCTL_BASE_OPTS  buildctl options that resolve FROM strata-test/... to that layout
#   STRATA_DAEMONS_DIR       the temporary directory (give it to `stop`)
#
# Base images, identical in both daemons (same digests):
#   strata-test/busybox:latest   Debian's static busybox (FROM scratch-like, made by testimage)
#   strata-test/debian:bookworm  with --debian: debootstrap --variant=minbase bookworm; the root file
#                                system tar is cached, so only the first run pays for debootstrap
#
# Settings: STRATA_CACHE_DIR (default ~/.cache/strata: buildkit binaries, Debian root file system),
# STRATA_DAEMONS_TIMEOUT (seconds to wait for a daemon, default 60), STRATA_DEBIAN_MIRROR (debootstrap
# mirror; default: debootstrap's own).
#
# Several sets of daemons can run at once: each dockerd gets its own bridge (strata-XXXXXX,
# 172.29.N.0/24) instead of docker0 and its own cgroup parent, and stop removes them with their
# iptables rules. Logs: DIR/docker/dockerd.log, DIR/buildkit/buildkitd.log.
#
# The file can also be sourced; then the daemons_* functions are available (perf-image.sh does this);
# sourcing sets -euo pipefail and extends PATH in the caller. Needs root (dockerd, buildkitd with runc,
# debootstrap). In CI, prefer `run`, or check start's status before eval: `eval "$(daemons.sh start)"`
# succeeds even when start fails.
set -euo pipefail
shopt -s inherit_errexit

DAEMONS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DAEMONS_CACHE=${STRATA_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/strata}
DAEMONS_TIMEOUT=${STRATA_DAEMONS_TIMEOUT:-60}
DAEMONS_PACKAGES=(docker.io runc busybox-static debootstrap iproute2)
# The daemons live in /usr/sbin and Go in /usr/local/go/bin, which a CI
# environment may lack in PATH.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin:/usr/local/go/bin

daemons_log() { printf 'daemons: %s\n' "$*" >&2; }
daemons_die() { daemons_log "error: $*"; return 1; }

# daemons_install installs the Debian packages that are missing, quietly.
daemons_install() {
	local missing=() pkg
	for pkg in "${DAEMONS_PACKAGES[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
			missing+=("$pkg")
		fi
	done
	if ((${#missing[@]} == 0)); then
		return 0
	fi
	[[ $(id -u) == 0 ]] || { daemons_die "need root to install ${missing[*]}"; return 1; }
	daemons_log "installing ${missing[*]}"
	local start=$SECONDS log
	log=$(mktemp)
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		daemons_die "apt-get install ${missing[*]} failed"
		return 1
	fi
	rm -f "$log"
	daemons_log "installed in $((SECONDS - start))s"
}

# daemons_buildkit_bin prints a directory holding buildkitd and buildctl built
# from tools/buildkit, building them only when its go.mod or Go changed.
daemons_buildkit_bin() {
	local tools=$DAEMONS_REPO/tools/buildkit key dir version start=$SECONDS
	# go.mod fixes every version; go.sum only gains hashes (go mod tidy).
	key=$(cat "$tools/go.mod" <(go version) | sha256sum | cut -c1-16)
	dir=$DAEMONS_CACHE/buildkit-$key
	if [[ -x $dir/buildkitd && -x $dir/buildctl ]]; then
		printf '%s\n' "$dir"
		return 0
	fi
	mkdir -p "$DAEMONS_CACHE"
	version=$(cd "$tools" && go list -m -f '{{.Version}}' github.com/moby/buildkit) || return
	daemons_log "building buildkitd and buildctl $version (1 to 3 minutes on 2 cores)"
	local tmp
	tmp=$(mktemp -d "$DAEMONS_CACHE/buildkit-build.XXXXXX") || return
	if ! (cd "$tools" && go build -trimpath -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$version" \
		-o "$tmp/" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl); then
		rm -rf "$tmp"
		daemons_die "building buildkit failed"
		return 1
	fi
	# Another run may have finished the same build meanwhile; either copy will do.
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	daemons_log "built buildkit in $((SECONDS - start))s into $dir"
	printf '%s\n' "$dir"
}

# daemons_spawn LOG COMMAND... starts COMMAND in a session of its own (so
# that stop can kill its whole process group), detached from our stdin and
# stdout (so that `$(daemons.sh start)` returns), and prints its pid.
daemons_spawn() {
	local log=$1
	shift
	# Without job control a background job stays in our process group, so
	# setsid execs in place and $! is the daemon itself.
	local restore_m=
	if [[ $- == *m* ]]; then
		restore_m=1
		set +m
	fi
	setsid "$@" </dev/null >"$log" 2>&1 9>&- & # 9: daemons_lock's
	local pid=$!
	if [[ -n $restore_m ]]; then set -m; fi
	printf '%s\n' "$pid"
}

# daemons_alive PID tells whether PID runs. A daemon that exited stays a
# zombie until init reaps it, which can take a second or more here, so
# `kill -0` is not enough.
daemons_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# daemons_wait NAME PID LOG COMMAND... retries COMMAND until it succeeds, the
# daemon dies, or the time-out passes.
daemons_wait() {
	local name=$1 pid=$2 log=$3 start=$SECONDS
	shift 3
	until "$@" >/dev/null 2>&1; do
		if ! daemons_alive "$pid"; then
			tail -n 30 "$log" >&2
			daemons_die "$name exited while starting (log above, from $log)"
			return 1
		fi
		if ((SECONDS - start >= DAEMONS_TIMEOUT)); then
			tail -n 30 "$log" >&2
			daemons_die "$name not ready after ${DAEMONS_TIMEOUT}s (log above, from $log)"
			return 1
		fi
		sleep 0.2
	done
	daemons_log "$name ready in $((SECONDS - start))s"
}

# Several dockerd may run at once (two test runs on one machine): each gets
# its own bridge and subnet instead of docker0, and their starts and stops,
# which edit the shared iptables chains, take turns under this lock.
DAEMONS_LOCK=/tmp/strata-daemons.lock
# FORWARD's policy before the first dockerd changed it, restored by the last.
DAEMONS_FORWARD_POLICY=/tmp/strata-daemons.forward-policy

# daemons_any_dockerd tells whether any dockerd runs on this machine, ours or not.
daemons_any_dockerd() {
	local pid
	for pid in $(pgrep -x dockerd); do
		if daemons_alive "$pid"; then
			return 0
		fi
	done
	return 1
}

daemons_lock() { exec 9>>"$DAEMONS_LOCK" && flock 9; }
daemons_unlock() { exec 9>&-; }

daemons_start_docker() {
	local dir=$1 bridge subnet n
	mkdir -p "$dir/docker" || return
	echo '{}' >"$dir/docker/daemon.json" || return # ignore the host's /etc/docker/daemon.json
	bridge=strata-${dir##*.}
	daemons_lock || return
	if ! daemons_any_dockerd && [[ ! -e $DAEMONS_FORWARD_POLICY ]]; then
		iptables -S FORWARD 2>/dev/null | head -n 1 >"$DAEMONS_FORWARD_POLICY"
	fi
	for ((n = 0; n < 256; n++)); do
		subnet=172.29.$n.0/24
		ip -4 route | grep -q "^172\.29\.$n\." || break
	done
	printf '%s %s\n' "$bridge" "$subnet" >"$dir/docker/bridge"
	if ! { ip link add name "$bridge" type bridge &&
		ip addr add "172.29.$n.1/24" dev "$bridge" &&
		ip link set "$bridge" up; }; then
		daemons_unlock
		daemons_die "cannot make bridge $bridge"
		return 1
	fi
	local pid
	pid=$(daemons_spawn "$dir/docker/dockerd.log" dockerd \
		--config-file "$dir/docker/daemon.json" \
		--data-root "$dir/docker/root" \
		--exec-root "$dir/docker/exec" \
		--pidfile "$dir/docker/dockerd.pid" \
		--host "unix://$dir/docker.sock" \
		--bridge "$bridge" \
		--cgroup-parent "/${dir##*/}/docker" \
		--shutdown-timeout 3 \
		--log-level warn) || { daemons_unlock; return 1; }
	echo "$pid" >"$dir/docker/pgid"
	daemons_wait dockerd "$pid" "$dir/docker/dockerd.log" docker -H "unix://$dir/docker.sock" version
	local status=$?
	daemons_unlock
	return "$status"
}

# daemons_iptables_delete TABLE PATTERN deletes the rules of TABLE that match
# the extended regular expression PATTERN.
daemons_iptables_delete() {
	local table=$1 pattern=$2 rule
	iptables -t "$table" -S 2>/dev/null | { grep -E -- "$pattern" || true; } | sed -n 's/^-A /-D /p' |
		while read -ra rule; do
			iptables -t "$table" "${rule[@]}" 2>/dev/null || true
		done
}

# daemons_network_cleanup DIR removes the bridge of DIR's dockerd and its
# iptables rules; once no dockerd is left, docker's own chains too, and it
# puts FORWARD's policy back.
daemons_network_cleanup() {
	local dir=$1 bridge subnet table chain
	[[ -s $dir/docker/bridge ]] || return 0
	read -r bridge subnet <"$dir/docker/bridge"
	for table in filter nat; do
		daemons_iptables_delete "$table" "[io] $bridge( |\$)|${subnet//./\\.}"
	done
	ip link delete "$bridge" 2>/dev/null || true
	if daemons_any_dockerd; then
		return 0
	fi
	for table in filter nat; do
		daemons_iptables_delete "$table" 'DOCKER|[io] docker0( |$)|[io] strata-'
		for chain in $(iptables -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^DOCKER/ {print $2}'); do
			iptables -t "$table" -F "$chain" 2>/dev/null || true
			iptables -t "$table" -X "$chain" 2>/dev/null || true
		done
	done
	if [[ -s $DAEMONS_FORWARD_POLICY ]]; then
		local policy
		read -ra policy <"$DAEMONS_FORWARD_POLICY"
		iptables "${policy[@]}" 2>/dev/null || true
	fi
	rm -f "$DAEMONS_FORWARD_POLICY"
}

daemons_start_buildkit() {
	local dir=$1 bin=$2
	mkdir -p "$dir/buildkit" || return
	# Our own config, not the host's /etc/buildkit/buildkitd.toml; build
	# containers in a cgroup of ours, as dockerd's, so that stop finds them.
	printf '[worker.oci]\n  defaultCgroupParent = "/%s/buildkit"\n' "${dir##*/}" >"$dir/buildkit/buildkitd.toml" || return
	local pid
	pid=$(daemons_spawn "$dir/buildkit/buildkitd.log" "$bin/buildkitd" \
		--config "$dir/buildkit/buildkitd.toml" \
		--root "$dir/buildkit/root" \
		--addr "unix://$dir/buildkitd.sock" \
		--otel-socket-path "$dir/buildkit/otel.sock" \
		--oci-worker=true --containerd-worker=false) || return
	echo "$pid" >"$dir/buildkit/pgid" || return
	daemons_wait buildkitd "$pid" "$dir/buildkit/buildkitd.log" "$bin/buildctl" --addr "unix://$dir/buildkitd.sock" debug workers
}

# daemons_debian_rootfs prints the path of a cached tar of a debootstrap'd
# Debian bookworm (minbase), making it first if needed.
daemons_debian_rootfs() {
	# The name changes with what is done to the root file system below.
	local dir=$1 tar=$DAEMONS_CACHE/debian-bookworm-minbase-2.tar
	if [[ -s $tar ]]; then
		printf '%s\n' "$tar"
		return 0
	fi
	mkdir -p "$DAEMONS_CACHE" || return
	local root=$dir/debootstrap start=$SECONDS
	daemons_log "debootstrap --variant=minbase bookworm (30 to 60 s)"
	# shellcheck disable=SC2086 # an unset mirror must vanish, not become ""
	if ! debootstrap --variant=minbase bookworm "$root" ${STRATA_DEBIAN_MIRROR:-} >"$dir/debootstrap.log" 2>&1; then
		tail -n 30 "$dir/debootstrap.log" >&2
		daemons_die "debootstrap failed (log above)"
		return 1
	fi
	# What a container runtime provides or a Debian image leaves out.
	rm -rf "${root:?}"/dev/* "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
	# Builds on this image run apt-get against the network, whose name
	# service may hiccup for seconds ("Temporary failure resolving"): apt
	# retries a failed fetch, with a growing delay, instead of failing the
	# build at the third try.
	printf 'Acquire::Retries "8";\n' >"$root/etc/apt/apt.conf.d/80strata-test-retries" || return
	tar --numeric-owner --xattrs -C "$root" -cf "$tar.tmp" . || return
	mv "$tar.tmp" "$tar" || return
	rm -rf "$root" || return
	daemons_log "debootstrap done in $((SECONDS - start))s, cached as $tar"
	printf '%s\n' "$tar"
}

# daemons_load_images DIR DEBIAN NO_DOCKER makes the base images into the OCI
# layout DIR/images/oci and loads them into dockerd.
daemons_load_images() {
	local dir=$1 debian=$2 docker=$3 start=$SECONDS
	local images=$dir/images testimage=$dir/bin/testimage
	mkdir -p "$images" "$dir/bin" || return
	(cd "$DAEMONS_REPO" && go build -o "$testimage" ./internal/testenv/cmd/testimage) || return
	"$testimage" busybox -docker-archive "$images/busybox.tar" -oci "$images/oci" >"$images/digests" || return
	if [[ -n $debian ]]; then
		local rootfs
		rootfs=$(daemons_debian_rootfs "$dir") || return
		"$testimage" rootfs -tar "$rootfs" -docker-archive "$images/debian.tar" -oci "$images/oci" >>"$images/digests" || return
	fi
	if [[ -n $docker ]]; then
		local archive
		for archive in "$images"/*.tar; do
			docker -H "unix://$dir/docker.sock" load -q -i "$archive" >&2 || return
		done
	fi
	rm -f "$images"/*.tar
	daemons_log "base images made and loaded in $((SECONDS - start))s"
}

# daemons_env DIR BUILDKIT_BIN DOCKER BUILDKIT prints the export lines.
daemons_env() {
	local dir=$1 bin=$2 docker=$3 buildkit=$4 ref digest key opts=
	printf 'export STRATA_DAEMONS_DIR=%q\n' "$dir"
	printf 'export STRATA_TEST_OCI_LAYOUT=%q\n' "$dir/images/oci"
	if [[ -n $docker ]]; then
		printf 'export STRATA_DOCKER_HOST=%q\n' "unix://$dir/docker.sock"
	fi
	if [[ -n $buildkit ]]; then
		printf 'export STRATA_BUILDKIT_HOST=%q\n' "unix://$dir/buildkitd.sock"
		printf 'export STRATA_BUILDCTL=%q\n' "$bin/buildctl"
		opts="--oci-layout strata-test=$dir/images/oci"
		while read -r ref digest; do
			# The dockerfile frontend looks named contexts up without ":latest".
			key=${ref%:latest}
			opts+=" --opt context:$key=oci-layout://strata-test@$digest"
		done <"$dir/images/digests"
		printf 'export STRATA_BUILDCTL_BASE_OPTS=%q\n' "$opts"
	fi
}

# daemons_start [--debian] [--no-docker] [--no-buildkit] starts the daemons in
# a new temporary directory and prints the export lines. On failure it stops
# what it started and returns non-zero.
daemons_start() {
	local debian='' docker=1 buildkit=1
	while (($#)); do
		case $1 in
		--debian) debian=1 ;;
		--no-docker) docker= ;;
		--no-buildkit) buildkit= ;;
		*) daemons_die "start: unknown option $1"; return 1 ;;
		esac
		shift
	done
	[[ $(id -u) == 0 ]] || { daemons_die "the daemons need root"; return 1; }
	daemons_install || return
	local bin=
	if [[ -n $buildkit ]]; then
		bin=$(daemons_buildkit_bin) || return
	fi

	local dir
	dir=$(mktemp -d /tmp/strata-daemons.XXXXXX) || return
	chmod 755 "$dir"
	# Every step returns its failure explicitly: errexit does not hold in
	# the callers' `if`, `||` and `&&`, and this must clean up in all of them.
	if ! { { [[ -z $docker ]] || daemons_start_docker "$dir"; } &&
		{ [[ -z $buildkit ]] || daemons_start_buildkit "$dir" "$bin"; } &&
		daemons_load_images "$dir" "$debian" "$docker" &&
		daemons_env "$dir" "$bin" "$docker" "$buildkit" >"$dir/env"; }; then
		daemons_stop "$dir"
		daemons_die "start failed; stopped everything"
		return 1
	fi
	cat "$dir/env"
}

# daemons_kill_group NAME PGID_FILE stops a daemon: SIGTERM to the daemon so
# that it shuts down cleanly, then SIGKILL to its whole process group.
daemons_kill_group() {
	local name=$1 file=$2 pgid i
	[[ -s $file ]] || return 0
	pgid=$(<"$file")
	if kill -TERM "$pgid" 2>/dev/null; then
		for ((i = 0; i < 100; i++)); do
			daemons_alive "$pgid" || break
			sleep 0.1
		done
	fi
	kill -KILL -- "-$pgid" 2>/dev/null || true
	rm -f "$file"
	daemons_log "stopped $name"
}

# daemons_kill_strays kills what still runs from DIR (containerd shims,
# container processes), except this shell and its ancestors.
daemons_kill_strays() {
	local dir=$1 pid p cmdline
	local -A keep=()
	p=$$
	while [[ -n $p && $p != 0 ]]; do
		keep[$p]=1
		p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
	done
	keep[$BASHPID]=1
	for pid in /proc/[0-9]*; do
		pid=${pid#/proc/}
		[[ -z ${keep[$pid]:-} ]] || continue
		cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
		if [[ $cmdline == *"$dir/"* ]]; then
			daemons_log "killing stray process $pid: ${cmdline:0:120}"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
}

# daemons_kill_cgroups DIR kills the containers that the daemons of DIR ran
# (their processes are in the cgroup /strata-daemons.XXXXXX in every
# hierarchy) and removes those cgroups.
daemons_kill_cgroups() {
	local name=${1##*/} cg pid i
	local cgroups=(/sys/fs/cgroup/"$name" /sys/fs/cgroup/*/"$name")
	for cg in "${cgroups[@]}"; do
		[[ -d $cg ]] || continue
		while read -r pid; do
			daemons_log "killing container process $pid"
			kill -KILL "$pid" 2>/dev/null || true
		done < <(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
	done
	# A cgroup can be removed only once its killed processes are gone.
	for ((i = 0; i < 50; i++)); do
		local left=0
		for cg in "${cgroups[@]}"; do
			[[ -d $cg ]] || continue
			find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || left=1
		done
		((left)) || return 0
		sleep 0.1
	done
	daemons_log "could not remove the cgroups ${cgroups[*]}"
}

# daemons_unmount DIR unmounts everything mounted under DIR, deepest first.
daemons_unmount() {
	local dir=$1 mnt
	awk -v prefix="$dir/" 'index($5, prefix) == 1 {print $5}' /proc/self/mountinfo | sort -r |
		while read -r mnt; do
			umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || daemons_log "cannot unmount $mnt"
		done
}

# daemons_stop DIR stops the daemons started in DIR and removes DIR.
daemons_stop() {
	local dir=${1:?daemons_stop needs a directory}
	dir=${dir%/}
	[[ -d $dir ]] || return 0
	[[ $dir == /tmp/strata-daemons.* ]] || { daemons_die "refusing to stop $dir: not a daemons.sh directory"; return 1; }
	# Every step runs whatever the previous ones did: a half-stopped
	# directory is the usual input here.
	daemons_kill_group buildkitd "$dir/buildkit/pgid" || daemons_log "stopping buildkitd failed"
	daemons_lock || daemons_log "cannot take $DAEMONS_LOCK"
	daemons_kill_group dockerd "$dir/docker/pgid" || daemons_log "stopping dockerd failed"
	daemons_kill_strays "$dir" || daemons_log "killing stray processes failed"
	daemons_kill_cgroups "$dir" || daemons_log "killing containers failed"
	daemons_network_cleanup "$dir" || daemons_log "removing the bridge failed"
	daemons_unlock
	daemons_unmount "$dir" || daemons_log "unmounting failed"
	rm -rf "$dir" || { daemons_die "could not remove $dir"; return 1; }
	daemons_log "removed $dir"
}

# daemons_run [start options] -- COMMAND... runs COMMAND with the daemons up.
daemons_run() {
	local opts=()
	while (($#)) && [[ $1 != -- ]]; do
		opts+=("$1")
		shift
	done
	[[ ${1:-} == -- ]] || { daemons_die "run: usage: run [start options] -- COMMAND..."; return 1; }
	shift
	(($#)) || { daemons_die "run: no command"; return 1; }
	local env
	env=$(daemons_start "${opts[@]}")
	eval "$env"
	# shellcheck disable=SC2064 # expand the directory now: the variable may change
	trap "daemons_stop '$STRATA_DAEMONS_DIR'" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	local status=0
	"$@" || status=$?
	return "$status"
}

# daemons_selftest builds a 3-step Dockerfile FROM strata-test/busybox with
# `docker build` and with buildctl, using the exported variables.
daemons_selftest() {
	local ctx status=0
	ctx=$(mktemp -d)
	cat >"$ctx/Dockerfile" <<-'EOF'
		FROM strata-test/busybox:latest
		RUN echo hello > /hello.txt
		COPY data.txt /data/data.txt
		RUN chmod 600 /data/data.txt && cat /hello.txt
	EOF
	echo data >"$ctx/data.txt"
	if [[ -n ${STRATA_DOCKER_HOST:-} ]]; then
		if DOCKER_BUILDKIT=0 docker -H "$STRATA_DOCKER_HOST" build -q -t strata-test/selftest:latest "$ctx" >&2; then
			daemons_log "docker build: $(docker -H "$STRATA_DOCKER_HOST" image inspect -f '{{len .RootFS.Layers}}' strata-test/selftest:latest) layers"
			docker -H "$STRATA_DOCKER_HOST" rmi -f strata-test/selftest:latest >/dev/null
		else
			status=1
		fi
	fi
	if [[ -n ${STRATA_BUILDKIT_HOST:-} ]]; then
		# shellcheck disable=SC2086 # STRATA_BUILDCTL_BASE_OPTS is a list of options
		if "$STRATA_BUILDCTL" --addr "$STRATA_BUILDKIT_HOST" build --progress plain \
			--frontend dockerfile.v0 --local context="$ctx" --local dockerfile="$ctx" \
			$STRATA_BUILDCTL_BASE_OPTS --output "type=oci,dest=$ctx/out.tar" 2>"$ctx/buildctl.log"; then
			local manifest
			manifest=$(tar -xOf "$ctx/out.tar" index.json | sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p')
			daemons_log "buildctl build: $(tar -xOf "$ctx/out.tar" "blobs/sha256/${manifest#sha256:}" | grep -o '"digest"' | wc -l) blobs in manifest (config + layers)"
		else
			tail -n 30 "$ctx/buildctl.log" >&2
			status=1
		fi
	fi
	rm -rf "$ctx"
	return "$status"
}

daemons_main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	install) daemons_install ;;
	buildkit-bin) daemons_buildkit_bin ;;
	start) daemons_start "$@" ;;
	stop)
		local dirs=("$@")
		if [[ ${1:-} == --all ]]; then
			dirs=()
			for d in /tmp/strata-daemons.*; do
				[[ -d $d ]] && dirs+=("$d")
			done
		elif ((${#dirs[@]} == 0)); then
			[[ -n ${STRATA_DAEMONS_DIR:-} ]] || { daemons_die "stop: give a directory, --all, or set STRATA_DAEMONS_DIR"; return 1; }
			dirs=("$STRATA_DAEMONS_DIR")
		fi
		for d in "${dirs[@]}"; do daemons_stop "$d"; done
		;;
	run) daemons_run "$@" ;;
	selftest) daemons_selftest ;;
	*)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
		return 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	daemons_main "$@"
fi
