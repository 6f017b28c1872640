# helpers.bash - shared set-up for hull's bats integration tests.
#
# Every test gets, in setup():
#   T        a fresh temp dir (/tmp/hull-it.XXXXXX), removed by teardown
#   ROOT     $T/state: the runtime's --root for this test alone
#   BUNDLE   $T/bundle: busybox-static rootfs + config.json from `$HULL spec`,
#            with terminal=false, args=["true"] and a cgroupsPath unique to the
#            test (/$CG_NAME), so no test lands in the caller's cgroup
#   CT       a container id to use ("ct<test number>")
# and the current directory is $BUNDLE (runc's default bundle).
#
# The runtime under test is $HULL (default: build/hull of this checkout). The
# tests also pass against runc (HULL=/usr/bin/runc), which proves them right;
# where hull and runc must differ (or runc 1.1.5 lacks what the spec asks),
# tests call skip_if_runc and are skipped under runc.
#
# teardown() always runs, even after a failure: it force-deletes every
# container in $ROOT, kills what is left in the test's cgroups, unmounts
# everything under $T, removes the test's cgroups and then $T.

bats_require_minimum_version 1.5.0 # run --separate-stderr

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HULL=${HULL:-$REPO/build/hull}
case $HULL in
/*) ;;
*/*) HULL=$(cd "$(dirname "$HULL")" && pwd)/$(basename "$HULL") ;;
*) HULL=$(command -v "$HULL" || echo "$HULL") ;;
esac
export HULL

# Which runtime is this? hull, runc or crun (from the first line of --version).
if [ -z "${HULL_FLAVOR:-}" ]; then
	flavor_cache=${BATS_RUN_TMPDIR:-/nonexistent}/hull-flavor
	if [ -s "$flavor_cache" ]; then
		read -r HULL_FLAVOR <"$flavor_cache"
	else
		case $("$HULL" --version 2>/dev/null) in
		runc*) HULL_FLAVOR=runc ;;
		crun*) HULL_FLAVOR=crun ;;
		*) HULL_FLAVOR=hull ;;
		esac
		echo "$HULL_FLAVOR" >"$flavor_cache" 2>/dev/null
	fi
	export HULL_FLAVOR
fi

BUSYBOX=${BUSYBOX:-/bin/busybox}
# Seconds one runtime command may take before it is killed (a hang fails the
# test instead of the whole suite).
HULL_CMD_TIMEOUT=${HULL_CMD_TIMEOUT:-30}

# (HULL_NO_SKIP=1 runs them anyway, to see what runc does.)
skip_if_runc() { # REASON
	[ -z "${HULL_NO_SKIP:-}" ] && [ "$HULL_FLAVOR" = runc ] && skip "runc: ${1:-hull-only behaviour}"
	return 0
}
is_runc() { [ "$HULL_FLAVOR" = runc ]; }

# hull ARGS...: the runtime under test with this test's --root.
hull() {
	timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$ROOT" "$@"
}

# hull_detached ARGS...: for create / run -d: the container inherits the
# runtime's stdio, so never give it a pipe that `run` or $(...) waits on.
# Output goes to files; it is printed afterwards for `run` to capture.
hull_detached() {
	detached "$HULL" --root "$ROOT" "$@"
}

# detached CMD...: run CMD with its stdio on files (see hull_detached).
detached() {
	local out=$T/detached.$$.$RANDOM rc
	timeout -k 5 "$HULL_CMD_TIMEOUT" "$@" </dev/null >"$out.out" 2>"$out.err"
	rc=$?
	cat "$out.out" "$out.err"
	return $rc
}

# The base busybox rootfs is built once per bats run, then hard-linked.
base_rootfs() {
	local base=${BATS_RUN_TMPDIR:?}/hull-rootfs-base
	if [ ! -e "$base/.done" ]; then
		# mkdir as a lock: parallel tests wait for the first one
		if mkdir "$base.lock" 2>/dev/null; then
			rm -rf "$base"
			make_rootfs "$base"
			touch "$base/.done"
		else
			local i
			for i in $(seq 300); do
				[ -e "$base/.done" ] && break
				sleep 0.1
			done
		fi
	fi
	echo "$base"
}

make_rootfs() { # DIR
	local r=$1 p
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,etc,root,tmp,run,var/tmp,mnt}
	chmod 1777 "$r/tmp" "$r/var/tmp"
	chmod 700 "$r/root"
	cp "$BUSYBOX" "$r/bin/busybox"
	# a symlink for every applet at its usual path (perl, in Debian's
	# essential set, makes them without a fork each)
	if command -v perl >/dev/null; then
		"$BUSYBOX" --list-full | R=$r perl -ne 'chomp; next if $_ eq "linuxrc" || -e "$ENV{R}/$_";
			symlink("/bin/busybox", "$ENV{R}/$_") or die "symlink $_: $!\n"'
	else
		for p in $("$BUSYBOX" --list-full); do
			[ "$p" = linuxrc ] || [ -e "$r/$p" ] || ln -s /bin/busybox "$r/$p"
		done
	fi
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$r/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$r/etc/group"
}

# static_helper NAME: tests/helpers/NAME.c built once per bats run as a static
# binary, copied to /NAME in the test's rootfs (skips without cc or libc.a).
static_helper() {
	local name=$1 bin=${BATS_RUN_TMPDIR:?}/$1
	if [ ! -x "$bin" ]; then
		command -v cc >/dev/null || skip "no C compiler for tests/helpers/$name.c"
		cc -static -O2 -o "$bin.$$" "$BATS_TEST_DIRNAME/../helpers/$name.c" 2>/dev/null ||
			skip "cc -static failed (no libc.a?)"
		mv "$bin.$$" "$bin"
	fi
	cp "$bin" "$BUNDLE/rootfs/$name"
}

# socket_helper SCRIPT SOCKET ARGS...: python3 tests/helpers/SCRIPT SOCKET
# ARGS... in the background (pid in $RECV), once SOCKET exists (skips
# without python3).
socket_helper() {
	local script=$1 sock=$2 i
	shift 2
	command -v python3 >/dev/null || skip "python3 (tests/helpers/$script) not installed"
	python3 "$BATS_TEST_DIRNAME/../helpers/$script" "$sock" "$@" 3>&- &
	RECV=$!
	for i in $(seq 100); do
		[ -S "$sock" ] && return 0
		sleep 0.05
	done
	echo "# $script did not start" >&2
	return 1
}

# new_bundle DIR CGROUP-NAME: a bundle in DIR whose cgroupsPath is /CGROUP-NAME
# (CGROUP-NAME must start with $CG_NAME so teardown removes it).
new_bundle() {
	local dir=$1 cg=$2 base
	mkdir -p "$dir"
	chmod 755 "$dir"
	base=$(base_rootfs)
	cp -al "$base" "$dir/rootfs" 2>/dev/null || {
		rm -rf "$dir/rootfs"
		cp -a "$base" "$dir/rootfs"
	}
	rm -f "$dir/rootfs/.done"
	timeout 10 "$HULL" spec --bundle "$dir" || {
		echo "# '$HULL spec --bundle $dir' failed" >&2
		return 1
	}
	local f=$dir/config.json
	jq --arg cg "/$cg" '.process.terminal = false | .process.args = ["true"] | .linux.cgroupsPath = $cg' \
		"$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

setup() {
	T=$(mktemp -d /tmp/hull-it.XXXXXX)
	chmod 755 "$T" # a user namespace's root must be able to reach the rootfs
	ROOT=$T/state
	BUNDLE=$T/bundle
	CG_NAME=hull-test-${BATS_ROOT_PID:-$$}-${BATS_SUITE_TEST_NUMBER:-0}
	CT=ct${BATS_SUITE_TEST_NUMBER:-0}
	new_bundle "$BUNDLE" "$CG_NAME"
	cd "$BUNDLE" || return 1
	if declare -F setup_more >/dev/null; then setup_more; fi
}

teardown() {
	set +e
	cd /
	if declare -F teardown_more >/dev/null; then teardown_more; fi
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	local id ids=() e
	if [ -d "$ROOT" ]; then
		for e in "$ROOT"/*; do [ -e "$e" ] && ids+=("${e##*/}"); done
		if [ ${#ids[@]} -gt 0 ]; then
			ids+=($(timeout 10 "$HULL" --root "$ROOT" list -q 2>/dev/null))
			for id in $(printf '%s\n' "${ids[@]}" | sort -u); do
				timeout -k 2 15 "$HULL" --root "$ROOT" delete --force "$id" >/dev/null 2>&1
			done
		fi
	fi
	local cgs
	cgs=$(test_cgroup_dirs)
	[ -n "$cgs" ] && kill_cgroup_procs $cgs
	umount_under "$T"
	[ -n "$cgs" ] && remove_cgroups $cgs
	rm -rf --one-file-system "$T"
	return 0
}

# Mount points of every cgroup hierarchy (v1 controllers, named, v2).
cgroup_mounts() {
	local a b c d mp rest
	while read -r a b c d mp rest; do
		case " $rest " in
		*" - cgroup "* | *" - cgroup2 "*) echo "$mp" ;;
		esac
	done </proc/self/mountinfo
}

# Directories of this test's cgroups (only names starting with $CG_NAME).
test_cgroup_dirs() {
	local m d
	[ -n "${CG_NAME:-}" ] || return 0
	for m in $(cgroup_mounts); do
		for d in "$m/$CG_NAME" "$m/$CG_NAME"-*; do
			[ -d "$d" ] && echo "$d"
		done
	done
	return 0
}

kill_cgroup_procs() { # DIR...
	local pid
	for pid in $(find "$@" -name cgroup.procs -exec cat {} + 2>/dev/null); do
		[ "$pid" -gt 1 ] && [ "$pid" != $$ ] && kill -9 "$pid" 2>/dev/null
	done
}

remove_cgroups() { # DIR...
	local d i
	for d in "$@"; do
		for i in 1 2 3 4 5 6 7 8 9 10; do
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$d" ] || break
			sleep 0.1
		done
	done
}

umount_under() { # DIR
	local a b c d mp rest mps=()
	while read -r a b c d mp rest; do
		# (mountinfo escapes spaces as \040; our paths have none)
		[[ "$mp" == "$1"/* ]] && mps+=("$mp")
	done </proc/self/mountinfo
	[ ${#mps[@]} -gt 0 ] || return 0
	for mp in $(printf '%s\n' "${mps[@]}" | sort -r); do
		umount -l "$mp" 2>/dev/null
	done
}

# cfg [JQ-OPTIONS...] FILTER: edit $BUNDLE/config.json in place with jq.
cfg() {
	local f=${CFG_FILE:-$BUNDLE/config.json}
	jq "$@" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

# set_args ARG...: process.args = ARG...
set_args() {
	cfg --argjson a "$(jq -cn '$ARGS.positional' --args -- "$@")" '.process.args = $a'
}

# share: bind-mount $SHARED ($T/shared, mode 777) at /shared in the container,
# for files the container writes and the test reads.
share() {
	SHARED=$T/shared
	mkdir -p "$SHARED" "$BUNDLE/rootfs/shared"
	chmod 777 "$SHARED"
	cfg --arg s "$SHARED" '.mounts += [{destination: "/shared", type: "bind", source: $s, options: ["rbind", "rw"]}]'
}

# ct_sh SCRIPT: run `sh -c SCRIPT` in a container in the foreground, via bats'
# `run --separate-stderr`: $status is the exit code, $output the container's
# stdout, $stderr the container's and the runtime's stderr.
ct_sh() {
	set_args sh -c "$1"
	ct_run
}

# ct_run [RUN-OPTIONS...]: `hull run` of $BUNDLE as $CT (args already set).
ct_run() {
	run --separate-stderr hull run "$@" "$CT" </dev/null
	if [ "$status" -ne 0 ] || [ -n "$stderr" ]; then
		echo "# hull run $CT: exit $status; stdout: $output" >&2
		echo "# stderr: $stderr" >&2
	fi
}

# state_of ID: the status field of `hull state ID` (empty if it fails).
state_of() {
	hull state "$1" 2>/dev/null | jq -r .status
}

# wait_status ID STATUS [SECONDS]
wait_status() {
	local i n=$((${3:-10} * 20)) s=
	for i in $(seq "$n"); do
		s=$(state_of "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.05
	done
	echo "# $1: status '$s', expected '$2'" >&2
	return 1
}

# wait_file FILE [SECONDS]: until FILE exists and is not empty.
wait_file() {
	local i n=$((${2:-10} * 20))
	for i in $(seq "$n"); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "# $1 did not appear" >&2
	return 1
}

# pid_gone PID [SECONDS]: the process has exited (gone, or a zombie whose
# parent is not ours to reap).
pid_gone() {
	local i n=$((${2:-5} * 20)) st
	for i in $(seq "$n"); do
		st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
		[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ] && return 0
		sleep 0.05
	done
	echo "# process $1 is still alive (state $st)" >&2
	return 1
}

# Assertions that print what they saw when they fail.
assert_eq() { # ACTUAL EXPECTED [WHAT]
	if [ "$1" != "$2" ]; then
		echo "# ${3:-value}: got '$1', expected '$2'" >&2
		return 1
	fi
}
assert_contains() { # HAYSTACK NEEDLE
	if [[ "$1" != *"$2"* ]]; then
		echo "# expected to find '$2' in: $1" >&2
		return 1
	fi
}
assert_not_contains() { # HAYSTACK NEEDLE
	if [[ "$1" == *"$2"* ]]; then
		echo "# did not expect '$2' in: $1" >&2
		return 1
	fi
}
assert_status() { # EXPECTED
	if [ "$status" -ne "$1" ]; then
		echo "# exit status $status, expected $1; output: $output" >&2
		[ -n "${stderr:-}" ] && echo "# stderr: $stderr" >&2
		return 1
	fi
}
assert_failed() {
	if [ "$status" -eq 0 ]; then
		echo "# expected a failure; output: $output" >&2
		return 1
	fi
}

# assert_no_leftovers ID: no state dir, no state, no cgroup of this test
# (leaves $status, $output and $stderr alone).
assert_no_leftovers() {
	local id=$1 d
	if [ -e "$ROOT/$id" ]; then
		echo "# state dir $ROOT/$id is still there" >&2
		return 1
	fi
	if d=$(hull state "$id" 2>/dev/null); then
		echo "# state of $id still answers: $d" >&2
		return 1
	fi
	d=$(test_cgroup_dirs)
	if [ -n "$d" ]; then
		echo "# cgroups left: $d" >&2
		return 1
	fi
}

# hull's one-line error: "hull: ..." on stderr (runc logs logrus lines).
assert_hull_error_line() { # STDERR
	is_runc && return 0
	local n
	n=$(printf '%s\n' "$1" | grep -c .)
	if [ "$n" -ne 1 ] || [[ "$1" != "hull: "* ]]; then
		echo "# expected one line starting 'hull: ', got: $1" >&2
		return 1
	fi
}

# host_ns NS: the test's own namespace NS, e.g. net:[4026531833]
host_ns() { readlink "/proc/self/ns/$1"; }
