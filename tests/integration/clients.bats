#!/usr/bin/env bats
# What podman (conmon), containerd's runc shim and Docker rely on beyond the
# spec: runc's sd_notify and socket-activation pass-through, kill semantics,
# error words they match.  The clients themselves run in tests/clients.

load helpers

HELPERS=$BATS_TEST_DIRNAME/../helpers

# notify_recv: tests/helpers/notify-recv.py on $T/host.sock in the background,
# messages in $T/notify.out
notify_recv() { socket_helper notify-recv.py "$T/host.sock" "$T/notify.out" 20; }

teardown_more() { [ -z "${RECV:-}" ] || kill "$RECV" 2>/dev/null; }

# notified: what the host socket got, one message a line ('|' for newlines)
notified() { cat "$T/notify.out" 2>/dev/null; }

@test "NOTIFY_SOCKET: create binds /run/notify; start waits for READY=1 and passes it on with MAINPID" {
	static_helper sd-notify
	share
	set_args sh -c 'echo "$NOTIFY_SOCKET" >/shared/env; ls -l /run/notify >/shared/ls; sleep 1; /sd-notify READY=1; sleep 100'
	notify_recv
	NOTIFY_SOCKET=$T/host.sock run hull_detached create "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	NOTIFY_SOCKET=$T/host.sock run hull start "$CT"
	assert_status 0
	# start returned: READY is on its way (already there with hull)
	local i
	for i in $(seq 50); do
		grep -q "MAINPID=$pid" "$T/notify.out" 2>/dev/null && break
		sleep 0.1
	done
	assert_contains "$(notified)" READY=1
	assert_contains "$(notified)" "MAINPID=$pid"
	assert_eq "$(cat "$SHARED/env")" /run/notify/notify.sock "NOTIFY_SOCKET in the container"
	assert_contains "$(cat "$SHARED/ls")" notify.sock
}

@test "NOTIFY_SOCKET: start gives up when the container exits without READY" {
	static_helper sd-notify
	set_args sh -c 'sleep 1'
	notify_recv
	NOTIFY_SOCKET=$T/host.sock run hull_detached create "$CT"
	assert_status 0
	local t0=$SECONDS
	NOTIFY_SOCKET=$T/host.sock run hull start "$CT"
	assert_status 0
	[ $((SECONDS - t0)) -lt 10 ]
	assert_eq "$(notified)" "" "messages"
}

@test "NOTIFY_SOCKET: run -d returns after READY; a foreground run passes it on too" {
	static_helper sd-notify
	set_args sh -c 'sleep 1; /sd-notify READY=1; sleep 100'
	notify_recv
	local t0=$SECONDS
	NOTIFY_SOCKET=$T/host.sock run hull_detached run -d "$CT"
	assert_status 0
	[ $((SECONDS - t0)) -ge 1 ] || { echo "# run -d did not wait for READY" >&2; return 1; }
	assert_contains "$(notified)" READY=1
	run hull delete --force "$CT"
	skip_if_runc "runc 1.1.5's foreground run never passes READY on"
	rm -f "$T/notify.out"
	set_args sh -c '/sd-notify READY=1; sleep 1'
	NOTIFY_SOCKET=$T/host.sock run hull_detached run "$CT"
	assert_status 0
	assert_contains "$(notified)" READY=1
}

@test "LISTEN_FDS: socket activation fds come first, with LISTEN_FDS=N and LISTEN_PID=1" {
	set_args sh -c 'echo "$LISTEN_FDS:$LISTEN_PID"; cat <&3; cat <&4; cat <&5'
	echo fd3 >"$T/f3"
	echo fd4 >"$T/f4"
	echo fd5 >"$T/f5"
	# LISTEN_PID must be the runtime's own pid: exec keeps the shell's
	run --separate-stderr env HULL="$HULL" ROOT="$ROOT" CT="$CT" sh -c \
		'export LISTEN_FDS=2 LISTEN_PID=$$; exec "$HULL" --root "$ROOT" run --preserve-fds 1 "$CT"' \
		3<"$T/f3" 4<"$T/f4" 5<"$T/f5" </dev/null
	assert_status 0
	assert_eq "$output" "$(printf '2:1\nfd3\nfd4\nfd5')"
	# for another process (LISTEN_PID not ours) they are not ours to pass
	run --separate-stderr env LISTEN_FDS=2 LISTEN_PID=1 "$HULL" --root "$ROOT" run "$CT" \
		3<"$T/f3" 4<"$T/f4" 5<"$T/f5" </dev/null
	assert_failed
	assert_not_contains "$output" "2:1"
}

@test "kill: any signal ends a created container (as runc's init dies of it)" {
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	run hull kill "$CT" TERM
	assert_status 0
	wait_status "$CT" stopped
	run hull delete "$CT"
	assert_status 0
}

@test "kill: signal 0 probes; KILL of a paused container thaws it so it dies" {
	[ -d /sys/fs/cgroup/freezer ] || grep -qw freezer /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
		skip "no freezer cgroup controller"
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run hull kill "$CT" 0
	assert_status 0
	assert_eq "$(state_of "$CT")" running
	run hull pause "$CT"
	assert_status 0
	run hull kill "$CT" 9
	assert_status 0
	wait_status "$CT" stopped
	run --separate-stderr hull kill "$CT" 0
	assert_status 1
	assert_contains "$stderr" "container not running"
}

@test "tmpcopyup: the tmpfs gets the directory's files and shows source tmpfs (podman --tmpfs)" {
	mkdir -p "$BUNDLE/rootfs/data"
	echo kept >"$BUNDLE/rootfs/data/file"
	cfg '.mounts += [{destination: "/data", type: "tmpfs", source: "tmpfs", options: ["size=1m", "tmpcopyup"]}]'
	ct_sh 'cat /data/file; grep " /data " /proc/mounts'
	assert_status 0
	assert_eq "${lines[0]}" kept
	[[ "${lines[1]}" == "tmpfs /data tmpfs "*size=1024k* ]] || {
		echo "# /proc/mounts: ${lines[1]}" >&2
		return 1
	}
}

@test "a missing or non-executable process.args[0]: Go's lower-case words (dockerd: 127, 126)" {
	set_args /nonexistent
	run --separate-stderr hull run "$CT" </dev/null
	assert_failed
	assert_contains "$stderr" "no such file or directory"
	set_args /etc/passwd
	run --separate-stderr hull run "$CT" </dev/null
	assert_failed
	assert_contains "$stderr" "permission denied"
}
