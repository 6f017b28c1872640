#!/usr/bin/env bats
# exec: a new process in a running container.

load helpers

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

@test "exec: into a missing or stopped container fails" {
	run --separate-stderr hull exec nosuch true
	assert_failed
	assert_contains "$stderr" "container does not exist"
	set_args true
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" stopped
	run --separate-stderr hull exec "$CT" true
	assert_failed
}
