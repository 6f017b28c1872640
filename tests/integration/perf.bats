#!/usr/bin/env bats
# Speed: a regression guard against crun, and the compiled seccomp filter
# cache (src/seccomp_cache.c) still enforcing what it caches.

load helpers

CRUN=${CRUN:-/usr/bin/crun}
# hull's median `run` may take at most this many times crun's.
PERF_MAX_RATIO=${PERF_MAX_RATIO:-1.5}
PERF_ITERATIONS=${PERF_ITERATIONS:-15}

# The guard runs both runtimes in a private mount namespace where, on a
# hybrid host, a tmpfs covers /sys/fs/cgroup/unified (crun 1.8 refuses the
# hybrid layout; ../shared/bench does the same), with state dirs on a tmpfs
# (like /run).  Interleaved: hull, crun, hull, crun... so that the noise of
# this shared machine hits both alike.  Prints "hull MEDIAN crun MEDIAN" (µs).
race() { # HULL CRUN BUNDLE N
	cat >"$T/race.sh" <<'EOF'
set -u
hull=$1 crun=$2 bundle=$3 n=$4 state=$5
if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	mount -t tmpfs -o size=1m,mode=755 hull-perf-no-cgroup2 /sys/fs/cgroup/unified || exit 1
fi
mkdir -p "$state" && mount -t tmpfs -o mode=755 hull-perf-state "$state" || exit 1
one() { # RT NAME: the wall time of one run, in µs
	local s e
	s=$EPOCHREALTIME
	timeout -k 2 20 "$1" --root "$state/$2" run --bundle "$bundle" perf >/dev/null 2>"$state/$2.err" || {
		echo "$2 failed: $(cat "$state/$2.err")" >&2
		return 1
	}
	e=$EPOCHREALTIME
	echo $((${e/./} - ${s/./}))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
one "$crun" crun >/dev/null || exit 3 # warm-up; crun cannot run here: skip
one "$hull" hull >/dev/null || exit 1
for i in $(seq "$n"); do
	if [ $((i % 2)) = 0 ]; then
		one "$hull" hull >>"$state/hull.t" && one "$crun" crun >>"$state/crun.t" || exit 1
	else
		one "$crun" crun >>"$state/crun.t" && one "$hull" hull >>"$state/hull.t" || exit 1
	fi
done
echo "hull $(median <"$state/hull.t") crun $(median <"$state/crun.t")"
EOF
	unshare --mount --propagation private -- bash "$T/race.sh" "$1" "$2" "$3" "$4" "$T/perf-state"
}

@test "perf: run of /bin/true takes at most ${PERF_MAX_RATIO:-1.5}x crun's time (interleaved medians)" {
	skip_if_runc "a guard of hull's own speed"
	[ -z "${HULL_SANITIZED:-}" ] || skip "an ASan/UBSan build is slow by design"
	[ -x "$CRUN" ] || skip "$CRUN is not installed: nothing to compare with"
	# crun 1.8.1 knows no ociVersion above 1.0.x; the config is otherwise hull spec's
	cfg '.ociVersion = "1.0.2" | .process.args = ["/bin/true"]'
	run race "$HULL" "$CRUN" "$BUNDLE" "$PERF_ITERATIONS"
	echo "# $output" >&3
	[ "$status" -ne 3 ] || skip "$CRUN cannot run a container here: $output"
	assert_status 0
	local h c
	read -r _ h _ c <<<"$output"
	[ -n "$h" ] && [ -n "$c" ]
	if ! awk -v h="$h" -v c="$c" -v r="$PERF_MAX_RATIO" 'BEGIN { exit !(h <= r * c) }'; then
		echo "# hull's median run ($h µs) is more than ${PERF_MAX_RATIO}x crun's ($c µs)" >&2
		return 1
	fi
}

# A profile that lets everything through but mkdir/mkdirat (EDOM).
seccomp_edom() {
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 33}]}'
	set_args sh -c 'mkdir /tmp/blocked 2>&1; echo "rc=$?"'
}

@test "perf: seccomp cache: a cached filter still enforces; a damaged entry is recompiled" {
	skip_if_runc "hull's seccomp cache"
	seccomp_edom
	ct_run
	assert_status 0
	assert_contains "$output" "Numerical argument out of domain"
	local dir=$ROOT/.seccomp-cache entry
	[ "$(stat -c '%a %u' "$dir")" = "700 0" ]
	entry=$(ls "$dir")
	[ "$(echo "$entry" | wc -l)" = 1 ] && [ ${#entry} = 64 ]
	[ "$(stat -c '%a %u' "$dir/$entry")" = "600 0" ]
	local before
	before=$(stat -c %Y.%i "$dir/$entry")
	ct_run # from the cache: the same entry, not rewritten
	assert_status 0
	assert_contains "$output" "Numerical argument out of domain"
	assert_eq "$(stat -c %Y.%i "$dir/$entry")" "$before" "cache entry untouched"
	# a damaged entry: rejected, recompiled, rewritten; still enforced
	printf '\xff' | dd of="$dir/$entry" bs=1 seek=60 conv=notrunc status=none
	ct_run
	assert_status 0
	assert_contains "$output" "Numerical argument out of domain"
	[ "$(stat -c %i "$dir/$entry")" != "${before#*.}" ]
	# a world-writable cache directory is not used (and the filter still works)
	chmod 777 "$dir"
	ct_run
	assert_status 0
	assert_contains "$output" "Numerical argument out of domain"
	chmod 700 "$dir"
}

@test "perf: seccomp cache: SCMP_ACT_NOTIFY from a cached filter still hands over its listener" {
	skip_if_runc "hull's seccomp cache"
	command -v python3 >/dev/null || skip "python3 is needed for the agent"
	local sock=$T/agent.sock
	cfg --arg s "$sock" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $s,
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}'
	set_args sh -c 'mkdir /tmp/notified 2>&1; echo "rc=$?"'
	# the agent takes each listener fd, records it, and closes it: the
	# notified syscall then fails with ENOSYS instead of hanging
	python3 - "$sock" 2 >"$T/agent.log" 2>&1 <<'EOF' &
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(4)
s.settimeout(30)
for _ in range(int(sys.argv[2])):
    c, _ = s.accept()
    msg, anc, _, _ = c.recvmsg(65536, socket.CMSG_SPACE(4))
    fds = array.array("i")
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % 4])
    print("fds", len(fds), "state", b"seccompFd" in msg, flush=True)
    for fd in fds:
        os.close(fd)
    c.close()
EOF
	local agent=$!
	local i
	for i in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
	[ -S "$sock" ]
	ct_run
	assert_status 0
	assert_contains "$output" "Function not implemented"
	ct_run # the second run loads the filter from the cache
	assert_status 0
	assert_contains "$output" "Function not implemented"
	wait "$agent"
	assert_eq "$(grep -c 'fds 1 state True' "$T/agent.log")" 2 "listener fds received"
	[ "$(ls "$ROOT/.seccomp-cache" | wc -l)" = 1 ]
}

@test "perf: list's quick state reader agrees with state (plain, escaped and odd state files)" {
	skip_if_runc "hull's list"
	cfg '.annotations = {"plain": "v", "esc": "q\"uote \\ é"}'
	run hull_detached create "$CT-a"
	assert_status 0
	local odd=$T/odd\"bundle
	mkdir -p "$odd"
	cp -al "$BUNDLE/rootfs" "$odd/rootfs"
	jq --arg cg "/$CG_NAME-b" '.annotations = {} | .linux.cgroupsPath = $cg' "$BUNDLE/config.json" >"$odd/config.json"
	run hull_detached create --bundle "$odd" "$CT-b"
	assert_status 0
	# a state file pretty-printed by hand still reads the same
	mkdir "$ROOT/$CT-c"
	jq . "$ROOT/$CT-a/state.json" >"$ROOT/$CT-c/state.json"
	local id want got
	for id in "$CT-a" "$CT-b" "$CT-c"; do
		want=$(hull state "$id" | jq -c '{id, pid, status, bundle, annotations: (.annotations // {})}')
		got=$(hull list -f json | jq -c --arg id "$id" '.[] | select(.id == $id) | {id, pid, status, bundle, annotations: (.annotations // {})}')
		assert_eq "$got" "$want" "list entry of $id"
	done
	assert_eq "$(hull list -q | sort | tr '\n' ' ')" "$CT-a $CT-b $CT-c " "list -q"
	run hull list
	assert_status 0
	assert_contains "$output" "$odd"
	rm -rf "$ROOT/$CT-c"
}
