#!/usr/bin/env bats
# Container escapes through the runtime: one test per CVE (docs/SECURITY.md).
# Each test performs the attack against throwaway files under $T (never the
# host's own files) and checks that it fails; each would succeed on a runtime
# without the defence it names.

load helpers

HELPERS=$BATS_TEST_DIRNAME/../helpers

# runtime_copy: RT is a copy of $HULL in $T, the runtime the 2019-5736 tests
# run (an attack that got through would overwrite the copy, not $HULL);
# SUM is its sha256.
runtime_copy() {
	RT=$T/hull-copy
	cp "$HULL" "$RT"
	SUM=$(sha256sum <"$RT")
}

# runtime_libs: the runtime's dynamic loader and libraries in the rootfs, as
# in any glibc-based image: without them the kernel could not start the
# host's binary inside the busybox rootfs, and the attack would fail for
# the wrong reason.
runtime_libs() {
	local f
	for f in $(ldd "$RT" | grep -o '/[^ ]*'); do
		mkdir -p "$BUNDLE/rootfs${f%/*}"
		cp -L "$f" "$BUNDLE/rootfs$f"
	done
}

rt() { timeout -k 5 "$HULL_CMD_TIMEOUT" "$RT" --root "$ROOT" "$@"; }

assert_runtime_intact() {
	assert_eq "$(sha256sum <"$RT")" "$SUM" "sha256 of the runtime copy"
}

# host_mounts_under DIR: the host's mount points at or below DIR.
host_mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

# no_pid_ns: the container shares the host's pid namespace.
no_pid_ns() {
	cfg 'del(.linux.namespaces[] | select(.type == "pid"))'
}

# dev_bind DIR: /dev of the container is a bind of DIR (a volume the
# container controls), instead of hull's tmpfs.
dev_bind() {
	mkdir -p "$1"
	ln -s pts/ptmx "$1/ptmx"
	cfg --arg d "$1" '(.mounts[] | select(.destination == "/dev")) |=
		{destination: "/dev", type: "bind", source: $d, options: ["rbind", "rw"]}'
}

# victim: $T/victim/file holds VICTIM, bound read-only at /victim.
victim() {
	mkdir -p "$T/victim"
	echo VICTIM >"$T/victim/file"
	cfg --arg s "$T/victim" '.mounts += [{destination: "/victim", type: "bind", source: $s, options: ["rbind", "ro"]}]'
}

assert_victim_intact() {
	assert_eq "$(cat "$T/victim/file")" VICTIM "host victim file"
}

# ---- CVE-2019-5736: overwriting the runtime through /proc/self/exe ----

@test "CVE-2019-5736: process.args[0] /proc/self/exe does not run the runtime's binary" {
	skip_if_runc "runc runs its sealed memfd copy instead"
	runtime_copy
	runtime_libs
	set_args /proc/self/exe --version
	run --separate-stderr rt run "$CT" </dev/null
	assert_failed
	assert_not_contains "$output" version
	assert_contains "$stderr" "refusing to execute the runtime's own binary"
	assert_contains "$stderr" "CVE-2019-5736"
	assert_hull_error_line "$stderr"
	assert_no_leftovers "$CT"
	assert_runtime_intact
}

@test "CVE-2019-5736: a script whose #! interpreter is /proc/self/exe is refused, nested too (run, exec)" {
	skip_if_runc "runc runs its sealed memfd copy instead"
	runtime_copy
	runtime_libs
	printf '#!/proc/self/exe --version\n' >"$BUNDLE/rootfs/evil1"
	printf '#! /evil1\n' >"$BUNDLE/rootfs/evil2"
	chmod 755 "$BUNDLE/rootfs/evil1" "$BUNDLE/rootfs/evil2"
	local s
	for s in /evil1 /evil2; do
		set_args "$s"
		run --separate-stderr rt run "$CT" </dev/null
		assert_failed
		assert_not_contains "$output" version
		assert_contains "$stderr" "CVE-2019-5736"
		assert_no_leftovers "$CT"
	done
	set_args sleep 100
	run detached "$RT" --root "$ROOT" run -d "$CT"
	assert_status 0
	for s in /evil1 /evil2 /proc/self/exe; do
		run --separate-stderr rt exec "$CT" "$s" --version
		assert_status 255
		assert_not_contains "$output" version
		assert_contains "$stderr" "CVE-2019-5736"
	done
	rt delete -f "$CT"
	assert_runtime_intact
}

@test "CVE-2019-5736: a startContainer hook whose path the image points at /proc/self/exe is refused" {
	skip_if_runc "runc runs its sealed memfd copy instead"
	runtime_copy
	runtime_libs
	ln -s /proc/self/exe "$BUNDLE/rootfs/hook"
	cfg '.hooks.startContainer = [{path: "/hook", args: ["/hook", "--version"]}]'
	run --separate-stderr rt run "$CT" </dev/null
	assert_failed
	assert_not_contains "$output" version
	assert_contains "$stderr" "hooks.startContainer: refusing to execute the runtime's own binary"
	assert_no_leftovers "$CT"
	assert_runtime_intact
}

# The whole attack: the container waits for a runtime process running the
# host's binary (hull exec of /proc/self/exe: "check" blocks reading a fifo),
# opens its /proc/PID/exe, lets it finish and writes through the fd.
@test "CVE-2019-5736: a container cannot overwrite the runtime through /proc/PID/exe of an exec'd process" {
	skip_if_runc "runc runs its sealed memfd copy instead"
	runtime_copy
	runtime_libs
	share
	# "bait" is put together at run time: no cmdline but hull's holds it
	set_args sh -c 'b=/shared/hull; b=${b}bait; mkdir -p $b; mkfifo $b/config.json; echo ready >/shared/ready
		pid=
		while [ -z "$pid" ] && [ ! -e /shared/stop ]; do
			for p in /proc/[0-9]*; do
				case "$(tr "\000" " " <$p/cmdline 2>/dev/null)" in *"$b"*) pid=${p#/proc/}; break ;; esac
			done
			sleep 0.02
		done
		if [ -z "$pid" ]; then echo no-runtime-process >/shared/result; exit 0; fi
		if ! (exec 3<"/proc/$pid/exe") 2>/dev/null; then echo "{}" >$b/config.json; echo exe-denied >/shared/result; exit 0; fi
		exec 3<"/proc/$pid/exe"
		echo "{}" >$b/config.json
		while [ -e /proc/$pid ]; do sleep 0.02; done
		i=0
		until printf owned 2>/dev/null >/proc/self/fd/3; do
			i=$((i + 1)); [ $i -gt 100 ] && { echo busy >/shared/result; exit 0; }; sleep 0.05
		done
		echo overwritten >/shared/result'
	run detached "$RT" --root "$ROOT" run -d "$CT"
	assert_status 0
	wait_file "$SHARED/ready"
	run --separate-stderr rt exec "$CT" /proc/self/exe check -b /shared/hullbait
	local rc=$status
	touch "$SHARED/stop"
	wait_file "$SHARED/result"
	assert_runtime_intact
	assert_eq "$(cat "$SHARED/result")" no-runtime-process "what the container saw"
	status=$rc
	assert_status 255
	assert_contains "$stderr" "CVE-2019-5736"
	rt delete -f "$CT"
}

# A created container's init runs hull's code with the container's
# capabilities until start: only non-dumpability keeps another process of
# the same uid and capabilities out of its /proc/PID/exe and memory.
@test "CVE-2019-5736: a waiting init's /proc/PID/exe and mem are closed to other containers (shared pid namespace)" {
	skip_if_runc "runc's init runs a sealed memfd copy of runc: its exe may be read"
	no_pid_ns
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	[ "$pid" -gt 0 ]
	cfg --arg cg "/$CG_NAME-b" '.linux.cgroupsPath = $cg'
	set_args sh -c "readlink /proc/$pid/exe; echo exe=\$?; head -c1 /proc/$pid/mem >/dev/null 2>&1; echo mem=\$?; cat /proc/$pid/environ >/dev/null 2>&1; echo environ=\$?"
	run --separate-stderr hull run "$CT-b" </dev/null
	assert_status 0
	assert_contains "$output" "exe=1"
	assert_contains "$output" "mem=1"
	assert_contains "$output" "environ=1"
	assert_not_contains "$output" hull
}

# ---- the container's init cannot reach the hull parent ----

@test "CVE-2019-5736: with a pid namespace the hull parent is invisible to the container" {
	set_args sh -c 'echo ppid=$PPID; ls -d /proc/[0-9]* | wc -l'
	ct_run
	assert_status 0
	assert_eq "${lines[0]}" ppid=0 "parent pid seen in the container"
	[ "${lines[1]}" -le 3 ] # sh, ls, wc
}

@test "CVE-2019-5736: with the host's pid namespace the hull parent cannot be traced or read" {
	is_runc && skip "runc's parent is a different program"
	static_helper ptrace-attach
	no_pid_ns
	set_args sh -c 'p=$PPID; grep -q "^Name:.*hull" /proc/$p/status && echo parent-is-hull
		readlink /proc/$p/exe; echo exe=$?
		head -c1 /proc/$p/mem >/dev/null 2>&1; echo mem=$?
		/ptrace-attach $p; true'
	ct_run
	assert_status 0
	assert_contains "$output" parent-is-hull
	assert_contains "$output" "exe=1"
	assert_contains "$output" "mem=1"
	assert_contains "$output" "ptrace: EPERM"
}

# ---- CVE-2024-21626: host fds and process.cwd ----

# cwd_inside: the container's cwd, climbed up by "..", is its own "/" and no
# file of $T (the host side) shows up.
cwd_check='cd ../../../../../../../../../..; a=$(stat -c %d:%i .); b=$(stat -c %d:%i /); ls; [ "$a" = "$b" ] && echo inside || echo OUTSIDE'

@test "CVE-2024-21626: process.cwd /proc/self/fd/N never leads out of the container (run)" {
	echo secret >"$T/HOST-MARKER-21626"
	set_args sh -c "$cwd_check"
	local n
	for n in $(seq 3 20); do
		cfg --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		run --separate-stderr hull run "$CT" </dev/null
		assert_not_contains "$output" HOST-MARKER
		assert_not_contains "$output" OUTSIDE
		if [ "$status" -ne 0 ]; then
			is_runc || assert_contains "$stderr" "process.cwd"
			assert_hull_error_line "$stderr"
			assert_no_leftovers "$CT"
		fi
	done
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N never leads out of the container (create, start)" {
	echo secret >"$T/HOST-MARKER-21626"
	share
	set_args sh -c "($cwd_check) >/shared/out 2>&1"
	local n
	for n in $(seq 3 20); do
		rm -f "$SHARED/out"
		cfg --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		run hull_detached create "$CT"
		if [ "$status" -ne 0 ]; then
			is_runc || assert_contains "$output" "process.cwd"
			assert_no_leftovers "$CT"
			continue
		fi
		run hull start "$CT"
		assert_status 0
		wait_file "$SHARED/out"
		assert_not_contains "$(cat "$SHARED/out")" HOST-MARKER
		assert_not_contains "$(cat "$SHARED/out")" OUTSIDE
		hull delete -f "$CT"
	done
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N never leads out of the container" {
	echo secret >"$T/HOST-MARKER-21626"
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	local n
	for n in $(seq 3 20); do
		run --separate-stderr hull exec --cwd "/proc/self/fd/$n" "$CT" sh -c "$cwd_check"
		assert_not_contains "$output" HOST-MARKER
		assert_not_contains "$output" OUTSIDE
		assert_not_contains "$output" state.json
		if [ "$status" -ne 0 ]; then
			is_runc || assert_contains "$stderr" "process.cwd"
		fi
	done
}

@test "CVE-2024-21626: only stdio and --preserve-fds reach the container's process (run, exec)" {
	# the fds of a child that the shell made while it held no pipe
	local fds='sleep 10 & p=$!; ls /proc/$p/fd | tr "\n" " "; kill $p'
	set_args sh -c "$fds"
	ct_run
	assert_status 0
	assert_eq "$output" "0 1 2 " "fds of the init"
	echo x >"$T/f"
	run --separate-stderr hull run --preserve-fds 2 "$CT" </dev/null 3<"$T/f" 4<"$T/f"
	assert_status 0
	assert_eq "$output" "0 1 2 3 4 " "fds of the init with --preserve-fds 2"
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" sh -c "$fds"
	assert_status 0
	assert_eq "$output" "0 1 2 " "fds of an exec'd process"
	run --separate-stderr hull exec --preserve-fds 1 "$CT" sh -c "$fds" 3<"$T/f"
	assert_status 0
	assert_eq "$output" "0 1 2 3 " "fds of an exec'd process with --preserve-fds 1"
}

# ---- CVE-2025-31133, CVE-2025-52565, CVE-2025-52881: mounts and /proc ----

@test "CVE-2025-31133: a /dev/null symlink to a host file is not the source of masked paths" {
	skip_if_runc "runc 1.1.5 predates the fix (HULL_NO_SKIP=1 shows the attack working)"
	victim
	mkdir "$T/devdir"
	ln -s /victim/file "$T/devdir/null"
	dev_bind "$T/devdir"
	echo PUBLIC >"$BUNDLE/rootfs/etc/masked-file"
	cfg '.linux.maskedPaths += ["/etc/masked-file"]'
	ct_sh 'echo "[$(cat /etc/masked-file)]"; stat -c %F:%t:%T /etc/masked-file'
	assert_status 0
	assert_eq "${lines[0]}" "[]" "content of the masked file"
	assert_eq "${lines[1]}" "character special file:1:3" "the masked file"
	assert_victim_intact
	[ -L "$T/devdir/null" ]
}

@test "CVE-2025-31133: a /dev/null symlink to /proc/sys/kernel/core_pattern does not expose it on masked paths" {
	skip_if_runc "runc 1.1.5 predates the fix (HULL_NO_SKIP=1 shows the attack working)"
	mkdir "$T/devdir"
	ln -s /proc/sys/kernel/core_pattern "$T/devdir/null"
	dev_bind "$T/devdir"
	local before
	before=$(cat /proc/sys/kernel/core_pattern)
	[ -e /proc/timer_list ] || skip "no /proc/timer_list on this kernel"
	ct_sh 'echo "[$(cat /proc/timer_list)]"; stat -c %t:%T /proc/timer_list'
	assert_status 0
	assert_eq "${lines[0]}" "[]" "content of masked /proc/timer_list"
	assert_eq "${lines[1]}" "1:3" "/proc/timer_list"
	assert_eq "$(cat /proc/sys/kernel/core_pattern)" "$before" "host core_pattern"
}

@test "CVE-2025-31133: maskedPaths and readonlyPaths that are symlinks out of the rootfs touch nothing on the host" {
	mkdir -p "$T/victim" "$T/vdir"
	echo VICTIM >"$T/victim/file"
	local up=../../../../../../../../../../..
	ln -s "$T/victim/file" "$BUNDLE/rootfs/etc/mlink-abs"
	ln -s "$up$T/victim/file" "$BUNDLE/rootfs/etc/mlink-rel"
	ln -s "$T/vdir" "$BUNDLE/rootfs/etc/rlink-abs"
	ln -s "$up$T/vdir" "$BUNDLE/rootfs/etc/rlink-rel"
	cfg '.linux.maskedPaths += ["/etc/mlink-abs", "/etc/mlink-rel"] | .linux.readonlyPaths += ["/etc/rlink-abs", "/etc/rlink-rel"]'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	assert_eq "$(host_mounts_under "$T/victim")$(host_mounts_under "$T/vdir")" "" "host mounts"
	assert_eq "$(cat "$T/victim/file")" VICTIM "host victim file"
	assert_eq "$(ls -A "$T/vdir")" "" "host directory"
}

@test "CVE-2025-52565: a /dev/console symlink out of /dev gets no bind of the pty (console socket)" {
	victim
	mkdir "$T/devdir"
	ln -s /victim/file "$T/devdir/console"
	dev_bind "$T/devdir"
	cfg '.process.terminal = true'
	set_args sh -c '[ -c /victim/file ] && echo tty || echo notty; cat /victim/file'
	socket_helper console-recv.py "$T/console.sock" "$T/console.out"
	local recv=$RECV
	run hull_detached run -d --console-socket "$T/console.sock" "$CT"
	local rc=$status
	wait "$recv" || is_runc # runc 1.1.5 refuses this container: fine too
	assert_victim_intact
	[ -L "$T/devdir/console" ]
	is_runc && return 0
	status=$rc
	assert_status 0
	assert_contains "$(cat "$T/console.out")" notty
	assert_contains "$(cat "$T/console.out")" VICTIM
}

# A createContainer hook stands in for a racing attacker: it binds a host
# file over the procfs files the init writes after pivot_root.
@test "CVE-2025-52881: sysctl and oomScoreAdj writes do not go through a mount over the procfs file" {
	skip_if_runc "runc 1.1.5 predates the fix (HULL_NO_SKIP=1 shows the attack working)"
	mkdir -p "$T/victim"
	echo VICTIM >"$T/victim/file"
	cat >"$T/hook.sh" <<-EOF
		#!/bin/sh
		mount --bind "$T/victim/file" "$BUNDLE/rootfs/proc/sys/net/ipv4/ip_forward"
	EOF
	chmod 755 "$T/hook.sh"
	cfg --arg h "$T/hook.sh" '.hooks.createContainer = [{path: $h}] | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	ct_run
	assert_failed
	assert_contains "$stderr" "linux.sysctl.net.ipv4.ip_forward"
	assert_contains "$stderr" "EXDEV"
	assert_no_leftovers "$CT"
	assert_eq "$(cat "$T/victim/file")" VICTIM "host victim file"

	cat >"$T/hook.sh" <<-EOF
		#!/bin/sh
		mount --bind "$T/victim/file" "$BUNDLE/rootfs/proc/1/oom_score_adj"
	EOF
	cfg 'del(.linux.sysctl) | .process.oomScoreAdj = 500'
	ct_run
	assert_failed
	assert_contains "$stderr" "process.oomScoreAdj"
	assert_contains "$stderr" "EXDEV"
	assert_no_leftovers "$CT"
	assert_eq "$(cat "$T/victim/file")" VICTIM "host victim file"
}

# ---- the /dev class: /dev, /dev/pts, /dev/ptmx, /dev/console as symlinks ----

# dev_case: run the container; it must either run with a /dev of its own
# or fail cleanly; $T/hostdev stays empty and unmounted.
dev_case() {
	run --separate-stderr hull run "$CT" </dev/null
	if [ "$status" -eq 0 ]; then
		assert_contains "$output" "null"
	else
		assert_hull_error_line "$stderr"
		assert_no_leftovers "$CT"
	fi
	assert_eq "$(ls -A "$T/hostdev")" "" "host directory $T/hostdev"
	assert_eq "$(host_mounts_under "$T/hostdev")" "" "host mounts under $T/hostdev"
}

@test "2026 /dev class: a rootfs whose /dev is a symlink to a host directory (absolute, relative)" {
	skip_if_runc "runc 1.1.5 predates the fix (HULL_NO_SKIP=1 shows the attack working)"
	mkdir "$T/hostdev"
	set_args sh -c 'ls /dev; ls /dev/pts; echo x >/dev/null'
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s "$T/hostdev" "$BUNDLE/rootfs/dev"
	dev_case
	rm "$BUNDLE/rootfs/dev"
	ln -s "../../../../../../../../../..$T/hostdev" "$BUNDLE/rootfs/dev"
	dev_case
	# and with no tmpfs on /dev: hull makes the nodes in the rootfs's /dev
	cfg 'del(.mounts[] | select(.destination == "/dev"))'
	dev_case
	rm "$BUNDLE/rootfs/dev"
	ln -s "$T/hostdev" "$BUNDLE/rootfs/dev"
	dev_case
}

@test "2026 /dev class: /dev/pts, /dev/ptmx, /dev/console and /dev/null symlinks to the host" {
	mkdir "$T/hostdev"
	cfg 'del(.mounts[] | select(.destination == "/dev"))'
	local d=$BUNDLE/rootfs/dev
	rm -rf "$d"
	mkdir "$d"
	ln -s "$T/hostdev" "$d/pts"
	ln -s "$T/hostdev/ptmx" "$d/ptmx"
	ln -s "$T/hostdev/console" "$d/console"
	ln -s "../../../../../../../../../..$T/hostdev/null" "$d/null"
	set_args ls /dev
	dev_case
	[ ! -e "$T/hostdev/console" ] && [ ! -e "$T/hostdev/null" ]
}

# ---- every path under the rootfs is resolved inside it ----

@test "rootfs paths: a mount destination through a symlink to a host directory stays in the rootfs" {
	mkdir "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/mnt/abs"
	ln -s "../../../../../../../../../..$T/hostdir" "$BUNDLE/rootfs/mnt/rel"
	cfg '.mounts += [{destination: "/mnt/abs/sub", type: "tmpfs", source: "tmpfs"}, {destination: "/mnt/rel/sub", type: "tmpfs", source: "tmpfs"}]'
	set_args ls /mnt/abs /mnt/rel
	ct_run
	assert_status 0
	assert_eq "$(ls -A "$T/hostdir")" "" "host directory"
	assert_eq "$(host_mounts_under "$T/hostdir")" "" "host mounts"
}

@test "rootfs paths: a linux.devices path through a symlink to a host directory stays in the rootfs" {
	mkdir "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/mnt/abs"
	ln -s "../../../../../../../../../..$T/hostdir" "$BUNDLE/rootfs/mnt/rel"
	cfg '.linux.devices = [
		{path: "/mnt/abs/dev1", type: "c", major: 1, minor: 3},
		{path: "/mnt/rel/dev2", type: "c", major: 1, minor: 3}]'
	set_args sh -c 'stat -c %t:%T /mnt/abs/dev1 /mnt/rel/dev2'
	ct_run
	assert_status 0
	assert_eq "$output" "$(printf '1:3\n1:3')" "devices inside the container"
	assert_eq "$(ls -A "$T/hostdir")" "" "host directory"
}
