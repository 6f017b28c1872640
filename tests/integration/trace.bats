#!/usr/bin/env bats
# --trace FILE / HULL_TRACE: the launch as a timeline, from hull and from the
# container's init. JSON lines by default; --trace-format chrome writes the
# Chrome/Perfetto trace-event JSON.

load helpers

setup_more() {
	skip_if_runc "--trace is hull's own"
}

assert_match() { # TEXT REGEX
	[[ "$1" =~ $2 ]] || {
		echo "# '$1' does not match /$2/" >&2
		return 1
	}
}

# steps PROC: the step names of one process ("parent", "init", "exec") in
# the order they began.
steps() {
	jq -rs --arg p "$1" 'map(select(.proc == $p)) | sort_by(.ts, .depth) | .[].step' "$T/trace"
}

# in_order LIST WANT...: the WANT names occur in LIST in this order (others
# may come between).
in_order() {
	local list=$1 w
	shift
	for w in "$@"; do
		if ! grep -qx -- "$w" <<<"$list"; then
			echo "# step $w missing; steps were: $(echo $list)" >&2
			return 1
		fi
		list=$(sed -n "/^$w\$/,\$p" <<<"$list" | tail -n +2)
	done
}

@test "trace: a run's steps come in order, from hull and from the init" {
	hull --trace "$T/trace" run "$CT"
	# every line is one JSON object with the documented fields
	run jq -e -s 'length > 30 and all(.[]; (.ts|type) == "number" and (.dur|type) == "number"
		and (.pid|type) == "number" and (.step|type) == "string"
		and (.result == "ok" or .result == "error") and (.proc|type) == "string")' "$T/trace"
	assert_status 0
	# (a step begins before the steps inside it)
	in_order "$(steps parent)" prepare container_launch make_state_dir cgroup_prepare \
		clone_init supervise_setup write_state launch_start start supervise_wait \
		container_destroy cgroup_destroy remove_state_dir
	in_order "$(steps init)" "container init" container_init cgroup_join_self ns_loopback_up rootfs_prepare \
		rootfs_pivot sysctl_apply rootfs_finish process_apply_rlimits setsid process_chdir \
		step_user_and_caps process_resolve ready step_wait_for_start process_exec
	# two processes: hull and the init, each with its own host pid
	run jq -rs '[.[] | .pid] | unique | length' "$T/trace"
	assert_eq "$output" 2
	run jq -rs 'map(select(.proc == "init")) | .[0].pid' "$T/trace"
	[ "$output" -gt 1 ] # the host's pid, not the 1 of the container's namespace
	# the init's steps happen while hull waits in clone_init..supervise_setup
	run jq -rs '(map(select(.step == "clone_init"))[0].ts) as $c
		| (map(select(.step == "supervise_setup"))[0] | .ts + .dur) as $s
		| all(map(select(.proc == "init" and .step != "process_exec" and .step != "step_wait_for_start"
			and .step != "container init" and .step != "hooks_run"))[]; .ts >= $c and .ts <= $s)' "$T/trace"
	assert_eq "$output" true
}

@test "trace: the steps' durations add up to the wall time (10%)" {
	local t0 t1
	t0=$(date +%s%N)
	hull --trace "$T/trace" run "$CT"
	t1=$(date +%s%N)
	# hull's top-level steps cover its whole run
	run jq -rs '(map(select(.depth == 0 and .proc == "parent"))[0].dur) as $wall
		| (map(select(.depth == 1 and .proc == "parent")) | map(.dur) | add) as $sum
		| "\($sum) \($wall)"' "$T/trace"
	assert_status 0
	local sum wall
	read -r sum wall <<<"$output"
	echo "# parent: steps $sum ns, command $wall ns, outside $((t1 - t0)) ns" >&3
	[ "$sum" -le "$wall" ]
	[ $((sum * 10)) -ge $((wall * 9)) ]
	# the command's own span is what the caller waited for, less the exec
	[ "$wall" -le $((t1 - t0)) ]
	# the init's steps cover its life until execve
	run jq -rs '(map(select(.depth == 0 and .proc == "init"))[0].dur) as $life
		| (map(select(.depth == 1 and .proc == "init" and .step != "step_wait_for_start"))
			| map(.dur) | add) as $sum
		| (map(select(.step == "step_wait_for_start"))[0].dur) as $wait
		| "\($sum + $wait) \($life)"' "$T/trace"
	read -r sum wall <<<"$output"
	echo "# init: steps $sum ns, life $wall ns" >&3
	[ "$sum" -le "$wall" ]
	[ $((sum * 10)) -ge $((wall * 9)) ]
}

@test "trace: --trace-format chrome is valid trace-event JSON with two tracks" {
	hull --trace "$T/trace" --trace-format chrome run "$CT"
	# the trace-event format: an object with traceEvents, each event has a
	# name, a phase, a timestamp in µs and pid/tid; complete events ("X")
	# have a duration; metadata ("M") names the tracks
	run jq -e '
		(.traceEvents | type) == "array" and (.traceEvents | length) > 30
		and all(.traceEvents[];
			(.name | type) == "string" and (.pid | type) == "number" and (.tid | type) == "number"
			and (.ph == "X" or .ph == "i" or .ph == "M")
			and (if .ph == "M" then (.args.name // .args.sort_index) != null
			     else (.ts | type) == "number" and (.cat | type) == "string" end)
			and (if .ph == "X" then (.dur | type) == "number" and .dur >= 0 else true end))' "$T/trace"
	assert_status 0
	run jq -r '[.traceEvents[] | select(.name == "process_name") | .args.name] | sort | join(",")' "$T/trace"
	assert_match "$output" '^hull run: init \(pid [0-9]+\),hull run: parent \(pid [0-9]+\)$'
	run jq -r '[.traceEvents[] | select(.ph == "X") | .name] | index("rootfs_prepare") != null' "$T/trace"
	assert_eq "$output" true
	# the same file takes the next command's events too
	hull --trace "$T/trace" --trace-format chrome list >/dev/null
	run jq -r '[.traceEvents[] | select(.ph == "X" and (.name | startswith("hull "))) | .name] | join(",")' "$T/trace"
	assert_eq "$output" "hull run,hull list"
}

@test "trace: HULL_TRACE traces create, start and delete into one file" {
	jq '.process.args = ["sleep", "10"]' config.json >c.new && mv c.new config.json
	export HULL_TRACE=$T/trace
	hull_detached create "$CT"
	hull start "$CT"
	hull delete --force "$CT"
	unset HULL_TRACE
	run jq -rs 'sort_by(.ts) | [.[] | select(.depth == 0) | .step] | join(",")' "$T/trace"
	assert_eq "$output" "hull create,container init,hull start,hull delete"
	in_order "$(jq -rs 'sort_by(.ts, .depth) | .[].step' "$T/trace")" "hull create" make_state_dir \
		clone_init write_state "hull start" start "hull delete" \
		kill_and_wait cgroup_destroy remove_state_dir
}

@test "trace: exec is traced from hull and from the joining process" {
	jq '.process.args = ["sleep", "10"]' config.json >c.new && mv c.new config.json
	hull_detached run -d "$CT"
	hull --trace "$T/trace" exec "$CT" true
	in_order "$(steps parent)" "hull exec" container_open prepare exec_launch \
		open_init_namespaces clone_exec exec_wait_ready supervise_wait
	in_order "$(steps exec)" "exec process" join_namespaces process_chdir step_user_and_caps \
		process_resolve process_exec
}

@test "trace: a failing step is recorded with its error and errno" {
	jq '.process.args = ["/no/such/program"]' config.json >c.new && mv c.new config.json
	run hull --trace "$T/trace" run "$CT"
	assert_status 1
	run jq -rs 'map(select(.result == "error" and .proc == "init"))[0] | "\(.step) \(.errno) \(.error)"' "$T/trace"
	assert_match "$output" '^process_resolve ENOENT .*/no/such/program'
	# nothing is left behind, and the trace says it was cleaned up
	[ ! -e "$ROOT/$CT" ]
	run jq -rs 'map(select(.proc == "parent" and .depth == 0))[0].object' "$T/trace"
	assert_eq "$output" "exit status 1"
}

@test "trace: a bad --trace-format or an unwritable file is an error, and tracing is off by default" {
	run hull --trace "$T/trace" --trace-format xml list
	assert_status 1
	assert_match "$output" 'unknown format xml'
	run hull --trace /nonexistent/dir/trace list
	assert_status 1
	assert_match "$output" 'open /nonexistent/dir/trace: .*no such file'
	hull run "$CT"
	[ ! -e "$T/trace" ]
}

@test "trace: the launch steps have the names hull explain uses" {
	hull --trace "$T/trace" run "$CT"
	# explain's step names, as its source prints them (explain prints only
	# the steps a config needs, the trace shows them all)
	local vocab s missing=
	vocab=$(grep -ho 'ex_step(e, "[a-z_0-9]*"' "$REPO"/src/explain*.c | sed 's/.*"\(.*\)"/\1/' | sort -u)
	[ "$(wc -l <<<"$vocab")" -gt 30 ]
	local IFS=$'\n'
	for s in $(steps init | sort -u); do
		case $s in "container init" | ready | hooks_run) continue ;; esac # the whole; a message; hooks
		grep -qx "$s" <<<"$vocab" || missing+=" $s"
	done
	for s in $(jq -rs 'map(select(.proc == "parent" and .depth == 2)) | .[].step' "$T/trace" | sort -u); do
		case $s in make_notify_dir | start | hooks_run | cgroup_destroy | remove_state_dir) continue ;; esac
		grep -qx "$s" <<<"$vocab" || missing+=" $s"
	done
	[ -z "$missing" ] || {
		echo "# trace steps hull explain does not know:$missing" >&2
		return 1
	}
}

@test "trace: objects with quotes, backslashes and control characters stay valid JSON" {
	jq '.hostname = "a\"b\\c\td"' config.json >c.new && mv c.new config.json
	hull --trace "$T/trace" run "$CT"
	run jq -rs 'map(select(.step == "step_uts"))[0].object' "$T/trace"
	assert_status 0
	assert_eq "$output" "$(printf 'a"b\\c\td')"
}
