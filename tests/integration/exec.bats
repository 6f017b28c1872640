#!/usr/bin/env bats
# exec: a new process in a running container.

load helpers

HELPERS=$BATS_TEST_DIRNAME/../helpers

# console_recv [INPUT]: tests/helpers/console-recv.py on $T/console.sock in the
# background (output in $T/console.out once it ends); waits for the socket.
console_recv() { socket_helper console-recv.py "$T/console.sock" "$T/console.out" "$@"; }

# console_wait: the receiver's exit status; its output in $console
console_wait() {
	local rc=0
	wait "$RECV" || rc=$?
	console=$(cat "$T/console.out" 2>/dev/null)
	return $rc
}

# status_field FIELD TEXT: the value of FIELD: in /proc/PID/status text
status_field() { awk -v k="$1:" '$1 == k { print $2 }' <<<"$2"; }

start_sleeper() {
	set_args sleep 1000
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" running
	PID=$(hull state "$CT" | jq -r .pid)
}

@test "exec: runs in the container's namespaces and cgroup" {
	start_sleeper
	run --separate-stderr hull exec "$CT" sh -c 'for n in pid mnt net uts ipc cgroup; do readlink /proc/self/ns/$n; done; cat /proc/self/cgroup'
	assert_status 0
	local i=0 n
	for n in pid mnt net uts ipc cgroup; do
		assert_eq "${lines[$i]}" "$(readlink "/proc/$PID/ns/$n")" "$n namespace"
		i=$((i + 1))
	done
	assert_eq "$(printf '%s\n' "${lines[@]:6}" | sort)" "$(sort "/proc/$PID/cgroup")" cgroups
}

@test "exec: passes the exit code and stdio through" {
	start_sleeper
	run --separate-stderr hull exec "$CT" sh -c 'read x; echo "out:$x"; echo "err:$x" >&2; exit 5' <<<"hi"
	assert_status 5
	assert_eq "$output" out:hi stdout
	assert_contains "$stderr" err:hi
}

@test "exec: the config's env, user and cwd, and the flags that override them" {
	cfg '.process.env += ["FROMCONFIG=1"]'
	start_sleeper
	run --separate-stderr hull exec "$CT" sh -c 'echo $FROMCONFIG; id -u; pwd'
	assert_status 0
	assert_eq "$(echo $output)" "1 0 /"
	run --separate-stderr hull exec --user 1000:1001 --cwd /tmp --env FOO=bar --env FROMCONFIG=2 "$CT" sh -c 'echo $FOO $FROMCONFIG; id -u; id -g; pwd'
	assert_status 0
	assert_eq "$(echo $output)" "bar 2 1000 1001 /tmp"
}

@test "exec: the process is PID > 1 and the init still runs" {
	start_sleeper
	run --separate-stderr hull exec "$CT" sh -c 'echo $$'
	assert_status 0
	[ "$output" -gt 1 ]
	assert_eq "$(state_of "$CT")" running
}

@test "exec: -d detaches, --pid-file holds the process's host pid" {
	start_sleeper
	run hull_detached exec -d --pid-file "$T/epid" "$CT" sleep 100
	assert_status 0
	local epid
	epid=$(cat "$T/epid")
	[ "$epid" -gt 0 ]
	[ "$epid" != "$PID" ]
	assert_eq "$(readlink "/proc/$epid/ns/pid")" "$(readlink "/proc/$PID/ns/pid")" "pid namespace"
	assert_eq "$(cat "/proc/$epid/comm")" sleep comm
}

@test "exec: --process runs a process.json" {
	start_sleeper
	jq -n '{terminal: false, user: {uid: 0, gid: 0}, args: ["sh", "-c", "echo from-json $X"], env: ["PATH=/bin", "X=y"], cwd: "/"}' >"$T/process.json"
	run --separate-stderr hull exec --process "$T/process.json" "$CT"
	assert_status 0
	assert_eq "$output" "from-json y"
}

@test "exec: gets the config's capabilities and no_new_privs" {
	start_sleeper
	run --separate-stderr hull exec "$CT" cat /proc/self/status
	assert_status 0
	local f
	for f in CapBnd CapEff CapPrm NoNewPrivs; do
		assert_eq "$(awk -v k="$f:" '$1 == k { print $2 }' <<<"$output")" \
			"$(awk -v k="$f:" '$1 == k { print $2 }' "/proc/$PID/status")" "$f"
	done
}

@test "exec: a missing program fails with 255" {
	start_sleeper
	run --separate-stderr hull exec "$CT" /no/such/program
	assert_status 255
	assert_contains "$stderr" /no/such/program
	run --separate-stderr hull exec "$CT" no-such-program
	assert_status 255
	assert_eq "$(state_of "$CT")" running
}

@test "exec: into a missing or stopped container fails with runc's words and 255" {
	run --separate-stderr hull exec nosuch true
	assert_status 255
	assert_contains "$stderr" "container does not exist"
	set_args true
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" stopped
	run --separate-stderr hull exec "$CT" true
	assert_status 255
	assert_contains "$stderr" "cannot exec in a stopped container"
}

@test "exec: --process with terminal, consoleSize, user, env, cwd over --console-socket" {
	start_sleeper
	jq -n '{terminal: true, consoleSize: {height: 33, width: 111},
		user: {uid: 1000, gid: 1000, additionalGids: [5, 6]},
		args: ["sh", "-c", "stty size; id -u; id -G; pwd; echo X=$X; tty"],
		env: ["PATH=/bin:/usr/bin", "X=from-json"], cwd: "/tmp"}' >"$T/process.json"
	console_recv
	run hull_detached exec -d --console-socket "$T/console.sock" --process "$T/process.json" "$CT"
	assert_status 0
	console_wait
	assert_eq "$(cat "$T/console.out.name")" /dev/ptmx "name sent with the fd"
	assert_eq "$(sed -n 1p <<<"$console")" "33 111" "window size"
	assert_eq "$(sed -n 2p <<<"$console")" 1000 uid
	assert_eq "$(sed -n 3p <<<"$console")" "1000 5 6" groups
	assert_eq "$(sed -n 4p <<<"$console")" /tmp cwd
	assert_eq "$(sed -n 5p <<<"$console")" X=from-json env
	[[ "$(sed -n 6p <<<"$console")" =~ ^/dev/pts/[0-9]+$ ]]
}

@test "exec: --process capabilities replace the container's" {
	start_sleeper
	jq -n '{user: {uid: 0, gid: 0}, args: ["cat", "/proc/self/status"], cwd: "/", env: ["PATH=/bin"],
		capabilities: {bounding: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_CHOWN", "CAP_KILL"],
		permitted: ["CAP_CHOWN", "CAP_KILL"]}}' >"$T/process.json"
	run --separate-stderr hull exec --process "$T/process.json" "$CT"
	assert_status 0
	assert_eq "$(status_field CapEff "$output")" 0000000000000021 CapEff
	assert_eq "$(status_field CapBnd "$output")" 0000000000000021 CapBnd
}

@test "exec: -t -d --console-socket sends the pty; input and output go through it" {
	start_sleeper
	console_recv 'abc\n'
	run hull_detached exec -t -d --console-socket "$T/console.sock" "$CT" sh -c 'read x; echo got-$x; tty'
	assert_status 0
	console_wait
	assert_contains "$console" got-abc
	[[ "$console" =~ /dev/pts/[0-9]+ ]]
	# the container's /dev/console is left alone (runc binds it for the init only)
	run --separate-stderr hull exec "$CT" sh -c 'grep -c " /dev/console " /proc/self/mountinfo'
	assert_eq "$output" 0 "/dev/console mounts"
}

@test "exec: a console socket needs -t and -d; -t -d needs a console socket (runc's rules)" {
	start_sleeper
	run --separate-stderr hull exec -t --console-socket "$T/nosock" "$CT" true
	assert_status 255
	assert_contains "$stderr" "cannot use console socket if"
	run --separate-stderr hull exec -d --console-socket "$T/nosock" "$CT" true
	assert_status 255
	assert_contains "$stderr" "cannot use console socket if"
	run --separate-stderr hull exec -t -d "$CT" true
	assert_status 255
	assert_contains "$stderr" "cannot allocate tty if"
}

@test "exec: --cwd, and a missing --cwd fails with 255" {
	start_sleeper
	run --separate-stderr hull exec --cwd /tmp "$CT" pwd
	assert_status 0
	assert_eq "$output" /tmp
	run --separate-stderr hull exec --cwd /nonexistent "$CT" true
	assert_status 255
	assert_contains "$stderr" /nonexistent
}

@test "exec: -e adds and overrides variables; a malformed one fails with 255" {
	start_sleeper
	run --separate-stderr hull exec -e A=1 -e PATH=/usr/bin:/bin -e B= "$CT" sh -c 'echo "$A|$PATH|${B-unset}"'
	assert_status 0
	assert_eq "$output" "1|/usr/bin:/bin|"
	run --separate-stderr hull exec -e NOEQUALS "$CT" true
	assert_status 255
	assert_contains "$stderr" "invalid environment variable"
}

@test "exec: -u uid and uid:gid, -g additional groups" {
	start_sleeper
	run --separate-stderr hull exec -u 1000 "$CT" sh -c 'echo $(id -u):$(id -g)'
	assert_status 0
	assert_eq "$output" 1000:0
	run --separate-stderr hull exec -u 1000:1001 -g 5 -g 6 "$CT" id -G
	assert_status 0
	assert_eq "$output" "1001 5 6"
	run --separate-stderr hull exec -u nobody "$CT" true
	assert_status 255
}

@test "exec: --cap adds to bounding, effective, permitted, never inheritable" {
	start_sleeper
	run --separate-stderr hull exec "$CT" cat /proc/self/status
	local base
	base=$(status_field CapEff "$output")
	[ $((0x$base & (1 << 12))) = 0 ] # CAP_NET_ADMIN is not in the default set
	run --separate-stderr hull exec --cap CAP_NET_ADMIN "$CT" cat /proc/self/status
	assert_status 0
	local f
	for f in CapEff CapPrm CapBnd; do
		[ $((0x$(status_field $f "$output") & (1 << 12))) != 0 ] || {
			echo "# $f lacks CAP_NET_ADMIN: $(status_field $f "$output")" >&2
			return 1
		}
	done
	assert_eq "$(status_field CapInh "$output")" 0000000000000000 CapInh
	assert_eq "$(status_field CapAmb "$output")" 0000000000000000 CapAmb
	# an unknown name is a warning, as in runc
	run --separate-stderr hull exec --cap CAP_NO_SUCH "$CT" true
	assert_status 0
	assert_contains "$stderr" CAP_NO_SUCH
}

@test "exec: --no-new-privs sets no_new_privs" {
	cfg '.process.noNewPrivileges = false'
	start_sleeper
	run --separate-stderr hull exec "$CT" grep NoNewPrivs /proc/self/status
	assert_eq "$(echo $output)" "NoNewPrivs: 0"
	run --separate-stderr hull exec --no-new-privs "$CT" grep NoNewPrivs /proc/self/status
	assert_status 0
	assert_eq "$(echo $output)" "NoNewPrivs: 1"
}

@test "exec: --preserve-fds passes fds 3.. through; others are closed; a closed one fails" {
	start_sleeper
	echo preserved >"$T/fd3"
	run --separate-stderr hull exec --preserve-fds 1 "$CT" sh -c 'cat <&3' 3<"$T/fd3"
	assert_status 0
	assert_eq "$output" preserved
	run --separate-stderr hull exec "$CT" sh -c 'cat <&3' 3<"$T/fd3"
	assert_failed
	is_runc && return 0 # runc 1.1.5 does not check yet (later runc does)
	run --separate-stderr hull exec --preserve-fds 5 "$CT" true 3<"$T/fd3" 4>&- 5>&- 6>&- 7>&-
	assert_status 255
	assert_contains "$stderr" "preserved-fd"
}

@test "exec: a paused container refuses exec unless --ignore-paused" {
	[ -d /sys/fs/cgroup/freezer ] || grep -qw freezer /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
		skip "no freezer cgroup controller"
	start_sleeper
	run hull pause "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" true
	assert_status 255
	assert_contains "$stderr" "cannot exec in a paused container"
	# the process freezes with the container; resume must still get in
	detached "$HULL" --root "$ROOT" exec -d --ignore-paused --pid-file "$T/epid" "$CT" sleep 77 &
	local ex=$!
	sleep 0.5
	run hull resume "$CT"
	assert_status 0
	wait "$ex"
	wait_file "$T/epid"
	assert_eq "$(cat "/proc/$(cat "$T/epid")/comm")" sleep comm
}

@test "exec: the process's exit code and death by signal are hull's exit code" {
	start_sleeper
	run --separate-stderr hull exec "$CT" sh -c 'exit 42'
	assert_status 42
	run --separate-stderr hull exec "$CT" sh -c 'kill -TERM $$'
	assert_status 143
}

@test "exec -t and run -t on a terminal (script): relay, tty, exit code" {
	command -v script >/dev/null || skip "script (bsdutils) not installed"
	start_sleeper
	local out rc=0
	out=$(printf 'abc\n' | timeout 30 script -qefc "$(printf '%q ' "$HULL" --root "$ROOT" exec -t "$CT" sh -c 'read x; echo got-$x; tty; exit 4')" /dev/null) || rc=$?
	assert_eq "$rc" 4 "exec -t exit code"
	assert_contains "$out" got-abc
	[[ "$out" =~ /dev/pts/[0-9]+ ]]
	new_bundle "$T/b2" "$CG_NAME-2"
	CFG_FILE=$T/b2/config.json cfg '.process.terminal = true | .process.args = ["sh"]'
	rc=0
	out=$(printf 'echo tty-$((6*7)); tty; exit 7\n' | timeout 30 script -qefc "$(printf '%q ' "$HULL" --root "$ROOT" run -b "$T/b2" "$CT-2")" /dev/null) || rc=$?
	assert_eq "$rc" 7 "run -t exit code"
	assert_contains "$out" tty-42
	[[ "$out" =~ /dev/pts/[0-9]+ ]]
}
