#!/usr/bin/env bats
# create / start / state / kill / delete / run / list.

load helpers

@test "lifecycle: create -> created with a pid, start -> running, exit -> stopped, delete" {
	share
	set_args sh -c 'echo started >/shared/started; read x </shared/fifo'
	mkfifo "$SHARED/fifo"
	run hull_detached create "$CT"
	assert_status 0
	run hull state "$CT"
	assert_status 0
	assert_eq "$(jq -r .status <<<"$output")" created
	local pid
	pid=$(jq -r .pid <<<"$output")
	[ "$pid" -gt 0 ]
	kill -0 "$pid"
	# the user program has not run yet
	[ ! -e "$SHARED/started" ]
	[ -d "$ROOT/$CT" ]

	run hull start "$CT"
	assert_status 0
	wait_file "$SHARED/started"
	assert_eq "$(state_of "$CT")" running
	assert_eq "$(hull state "$CT" | jq -r .pid)" "$pid" "pid after start"

	# let the process exit
	echo go >"$SHARED/fifo"
	wait_status "$CT" stopped
	run hull delete "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
	pid_gone "$pid"
}

@test "lifecycle: state JSON has the spec's fields and the config's annotations" {
	set_args sleep 100
	cfg '.annotations = {"org.example.key": "value", "other": "x"}'
	run hull_detached create "$CT"
	assert_status 0
	run hull state "$CT"
	assert_status 0
	local s=$output
	jq -e --arg id "$CT" --arg b "$BUNDLE" '
		(.ociVersion | type == "string" and test("^[0-9]+\\.[0-9]+\\.[0-9]+")) and
		.id == $id and .status == "created" and (.pid | type == "number" and . > 0) and
		.bundle == $b and .annotations == {"org.example.key": "value", "other": "x"}' <<<"$s"
	# the spec's schema: only these may be required, and they are of these types
	jq -e '.created | type == "string"' <<<"$s"
}

@test "lifecycle: bundle in state is absolute even when given relative" {
	set_args sleep 100
	cd "$T"
	run hull_detached create --bundle bundle "$CT"
	assert_status 0
	assert_eq "$(hull state "$CT" | jq -r .bundle)" "$BUNDLE" "bundle"
}

@test "lifecycle: run in the foreground passes the exit code through" {
	set_args sh -c 'exit 7'
	ct_run
	assert_status 7
	# run deletes the container when it exits
	assert_no_leftovers "$CT"
	set_args true
	ct_run
	assert_status 0
}

@test "lifecycle: run passes stdin, stdout and stderr through" {
	set_args sh -c 'read x; echo "out:$x"; echo "err:$x" >&2'
	run --separate-stderr hull run "$CT" <<<"hello"
	assert_status 0
	assert_eq "$output" "out:hello" stdout
	assert_contains "$stderr" "err:hello"
}

@test "lifecycle: run of a container killed by a signal exits 128+signal" {
	set_args sleep 100
	hull run "$CT" </dev/null >/dev/null 2>&1 &
	local rpid=$!
	wait_status "$CT" running
	hull kill "$CT" KILL
	local st=0
	wait "$rpid" || st=$?
	assert_eq "$st" 137 "exit status of run"
}

@test "lifecycle: run forwards signals to the container" {
	share
	set_args sh -c 'trap "echo got-term >/shared/log; exit 42" TERM; echo ready >/shared/ready; while :; do sleep 0.1; done'
	"$HULL" --root "$ROOT" run "$CT" </dev/null >"$T/out" 2>&1 &
	local rpid=$! i st=
	wait_file "$SHARED/ready"
	kill -TERM "$rpid"
	for i in $(seq 100); do
		kill -0 "$rpid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$rpid" && st=0 || st=$?
	assert_eq "$st" 42 "exit status of run"
	assert_eq "$(cat "$SHARED/log")" got-term
}

@test "lifecycle: run -d returns and leaves the container running" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	assert_eq "$(state_of "$CT")" running
	run hull delete "$CT"
	assert_failed
	run hull kill "$CT" KILL
	assert_status 0
	wait_status "$CT" stopped
	run hull delete "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
}

@test "lifecycle: kill by name, number and SIG-name" {
	set_args sleep 100
	local sig
	for sig in KILL 9 SIGKILL; do
		run hull_detached run -d "$CT"
		assert_status 0
		wait_status "$CT" running
		run hull kill "$CT" "$sig"
		assert_status 0
		wait_status "$CT" stopped
		run hull delete "$CT"
		assert_status 0
	done
}

@test "lifecycle: kill sends SIGTERM by default and other signals by name" {
	share
	set_args sh -c 'trap "echo usr1 >>/shared/log" USR1; trap "echo term >>/shared/log; exit 0" TERM; echo ready >/shared/ready; while :; do sleep 0.1; done'
	run hull_detached run -d "$CT"
	assert_status 0
	wait_file "$SHARED/ready"
	run hull kill "$CT" USR1
	assert_status 0
	wait_file "$SHARED/log"
	run hull kill "$CT" SIGUSR1
	assert_status 0
	for i in $(seq 50); do [ "$(grep -c usr1 "$SHARED/log" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
	run hull kill "$CT"
	assert_status 0
	wait_status "$CT" stopped
	assert_eq "$(cat "$SHARED/log")" "$(printf 'usr1\nusr1\nterm')" log
}

@test "lifecycle: kill of an unknown signal fails" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run hull kill "$CT" NOSUCHSIG
	assert_failed
	assert_eq "$(state_of "$CT")" running
}

@test "lifecycle: kill --all signals every process of the container" {
	share
	set_args sh -c '
		sh -c "trap \"echo child >>/shared/log; exit 0\" TERM; echo ready >/shared/child; while :; do sleep 0.1; done" &
		trap "echo init >>/shared/log" TERM
		echo ready >/shared/init
		while :; do sleep 0.1; done'
	run hull_detached run -d "$CT"
	assert_status 0
	wait_file "$SHARED/init"
	wait_file "$SHARED/child"
	run hull kill --all "$CT" TERM
	assert_status 0
	for i in $(seq 50); do [ "$(wc -l <"$SHARED/log" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
	assert_eq "$(sort "$SHARED/log" | tr '\n' ' ')" "child init " log
}

@test "lifecycle: kill of a stopped container: 'container not running', exit 1" {
	set_args true
	run hull_detached create "$CT"
	assert_status 0
	run hull start "$CT"
	assert_status 0
	wait_status "$CT" stopped
	run --separate-stderr hull kill "$CT" KILL
	assert_status 1
	assert_contains "$stderr" "container not running"
	assert_hull_error_line "$stderr"
	assert_eq "$(state_of "$CT")" stopped
}

@test "lifecycle: delete --force kills a running container" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	kill -0 "$pid"
	run hull delete --force "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
	pid_gone "$pid"
}

@test "lifecycle: delete --force of a created container" {
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	run hull delete --force "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
	pid_gone "$pid"
}

@test "lifecycle: delete of a running container fails and leaves it running" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull delete "$CT"
	assert_status 1
	assert_contains "$stderr" "not stopped"
	assert_eq "$(state_of "$CT")" running
}

@test "lifecycle: start of a running or stopped container fails" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull start "$CT"
	assert_status 1
	assert_contains "$stderr" "cannot start an already running container"
	assert_eq "$(state_of "$CT")" running
	hull kill "$CT" KILL
	wait_status "$CT" stopped
	run --separate-stderr hull start "$CT"
	assert_status 1
	assert_contains "$stderr" "cannot start a container that has stopped"
}

@test "lifecycle: --pid-file holds the container's pid" {
	set_args sleep 100
	run hull_detached create --pid-file "$T/pid" "$CT"
	assert_status 0
	assert_eq "$(cat "$T/pid")" "$(hull state "$CT" | jq -r .pid)" "pid file"
}

@test "lifecycle: run -d --pid-file holds the container's pid" {
	set_args sleep 100
	run hull_detached run -d --pid-file "$T/pid" "$CT"
	assert_status 0
	assert_eq "$(cat "$T/pid")" "$(hull state "$CT" | jq -r .pid)" "pid file"
	# a relative --pid-file is relative to the current directory
	new_bundle "$T/b2" "$CG_NAME-2"
	CFG_FILE=$T/b2/config.json cfg '.process.args = ["sleep", "100"]'
	cd "$T"
	run hull_detached run -d -b b2 --pid-file pid2 "${CT}b"
	assert_status 0
	assert_eq "$(cat "$T/pid2")" "$(hull state "${CT}b" | jq -r .pid)" "relative pid file"
}

@test "lifecycle: list shows a table, JSON and ids" {
	set_args sleep 100
	run hull list
	assert_status 0
	assert_eq "$(echo ${lines[0]})" "ID PID STATUS BUNDLE CREATED OWNER" header
	assert_eq "${#lines[@]}" 1 "lines of an empty list"
	run hull list --format json
	assert_status 0
	assert_contains "null []" "$output"

	run hull_detached create "$CT"
	assert_status 0
	new_bundle "$T/b2" "$CG_NAME-2"
	CFG_FILE=$T/b2/config.json cfg '.process.args = ["sleep", "100"]'
	run hull_detached run -d -b "$T/b2" "${CT}b"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)

	run hull list
	assert_status 0
	assert_eq "$(echo ${lines[0]})" "ID PID STATUS BUNDLE CREATED OWNER" header
	assert_eq "${#lines[@]}" 3 "lines"
	local row
	row=$(printf '%s\n' "${lines[@]}" | awk -v id="$CT" '$1 == id')
	read -r id p st b cr ow <<<"$row"
	assert_eq "$p" "$pid" pid
	assert_eq "$st" created status
	assert_eq "$b" "$BUNDLE" bundle
	[[ "$cr" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]]
	assert_eq "$ow" root owner

	run hull list -q
	assert_status 0
	assert_eq "$(sort <<<"$output" | tr '\n' ' ')" "$CT ${CT}b " ids

	run hull list --format json
	assert_status 0
	jq -e --arg id "$CT" --arg b "$BUNDLE" --argjson pid "$pid" '
		length == 2 and
		(map(select(.id == $id))[0] |
		 .status == "created" and .pid == $pid and .bundle == $b and .owner == "root" and
		 (.created | type == "string"))' <<<"$output"
	jq -e --arg id "${CT}b" 'map(select(.id == $id))[0].status == "running"' <<<"$output"
}

@test "lifecycle: create of an existing id fails and leaves the first container alone" {
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	new_bundle "$T/b2" "$CG_NAME-2"
	run hull_detached create -b "$T/b2" "$CT"
	assert_status 1
	[[ "${output,,}" =~ container\ with\ (given\ )?id\ (already\ )?exists ]]
	assert_eq "$(state_of "$CT")" created
	assert_eq "$(hull state "$CT" | jq -r .pid)" "$pid"
	assert_eq "$(hull state "$CT" | jq -r .bundle)" "$BUNDLE"
	kill -0 "$pid"
	[ ! -d "/sys/fs/cgroup/pids/$CG_NAME-2" ] && [ ! -d "/sys/fs/cgroup/$CG_NAME-2" ]
}

@test "lifecycle: failed create of a bad config leaves nothing behind" {
	echo '{"ociVersion": "1.0.2", "process": ' >config.json
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "lifecycle: failed create of a missing rootfs leaves nothing behind" {
	set_args true
	cfg '.root.path = "no-such-rootfs"'
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "lifecycle: failed create of a missing executable leaves nothing behind" {
	set_args /no/such/program
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" "/no/such/program"
	assert_no_leftovers "$CT"
	run hull_detached run "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "lifecycle: a missing config.json fails" {
	rm config.json
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" "config.json"
	assert_no_leftovers "$CT"
}

@test "lifecycle: many containers one after another" {
	set_args true
	local i
	for i in 1 2 3 4 5; do
		run hull run "$CT" </dev/null
		assert_status 0
	done
	assert_no_leftovers "$CT"
}
