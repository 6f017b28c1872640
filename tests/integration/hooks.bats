#!/usr/bin/env bats
# hooks: the six kinds, their order, namespace, state on stdin, argv, env,
# timeout and failures.

load helpers

# A hook script that records, in $HOOKS (the host's $T/hooks, which is also
# /shared in the container), its name (first argument), its argv, the mount
# and pid namespaces it ran in, its env and the state JSON from its stdin.
# It is at $T/hook.sh on the host and /hook.sh in the rootfs (startContainer
# hooks resolve their path in the container).
setup_more() {
	HOOKS=$T/hooks
	SHARED=$HOOKS
	mkdir -p "$HOOKS" "$BUNDLE/rootfs/shared"
	chmod 777 "$HOOKS"
	cat >"$T/hook.sh" <<EOF
#!/bin/sh
name=\$1
d=$HOOKS
[ -d "\$d" ] || d=/shared
echo "\$name" >>"\$d/order"
{
	echo "args=\$*"
	echo "mnt=\$(readlink /proc/self/ns/mnt)"
	env | sort | sed 's/^/env:/'
} >"\$d/\$name.info"
cat >"\$d/\$name.state"
EOF
	chmod 755 "$T/hook.sh"
	cp "$T/hook.sh" "$BUNDLE/rootfs/hook.sh"
	cfg --arg s "$HOOKS" '.mounts += [{destination: "/shared", type: "bind", source: $s, options: ["rbind", "rw"]}]'
}

# hook_entry NAME [PATH]: a hooks entry that runs hook.sh NAME
hook_entry() {
	jq -cn --arg n "$1" --arg p "${2:-$T/hook.sh}" '{path: $p, args: ["hook.sh", $n]}'
}

all_hooks() {
	cfg --argjson a "$(hook_entry prestart)" --argjson b "$(hook_entry createRuntime)" \
		--argjson c "$(hook_entry createContainer)" --argjson d "$(hook_entry startContainer /hook.sh)" \
		--argjson e "$(hook_entry poststart)" --argjson f "$(hook_entry poststop)" \
		'.hooks = {prestart: [$a], createRuntime: [$b], createContainer: [$c], startContainer: [$d], poststart: [$e], poststop: [$f]}'
}

# Run a container with every hook through create, start, kill and delete.
# Sets PID (host pid) and CT_MNT (the container's mount namespace).
full_lifecycle() {
	all_hooks
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	PID=$(hull state "$CT" | jq -r .pid)
	CT_MNT=$(readlink "/proc/$PID/ns/mnt")
	run hull start "$CT"
	assert_status 0
	run hull kill "$CT" KILL
	assert_status 0
	wait_status "$CT" stopped
	run hull delete "$CT"
	assert_status 0
}

@test "hooks: all six run, in the spec's order" {
	full_lifecycle
	local order
	order=$(tr '\n' ' ' <"$HOOKS/order")
	if is_runc; then
		# runc 1.1.5 runs poststart hooks during create, before startContainer
		order=$(grep -v -x -e startContainer -e poststart "$HOOKS/order" | tr '\n' ' ')
		assert_eq "$order" "prestart createRuntime createContainer poststop " order
		grep -q -x startContainer "$HOOKS/order"
		grep -q -x poststart "$HOOKS/order"
	else
		assert_eq "$order" "prestart createRuntime createContainer startContainer poststart poststop " order
	fi
}

@test "hooks: runtime hooks run in the runtime's mount namespace, container hooks in the container's" {
	full_lifecycle
	local host h
	host=$(host_ns mnt)
	for h in prestart createRuntime poststart poststop; do
		assert_eq "$(sed -n 's/^mnt=//p' "$HOOKS/$h.info")" "$host" "mount namespace of $h"
	done
	for h in createContainer startContainer; do
		assert_eq "$(sed -n 's/^mnt=//p' "$HOOKS/$h.info")" "$CT_MNT" "mount namespace of $h"
	done
}

@test "hooks: each hook gets the state on stdin with the status of its phase" {
	full_lifecycle
	local h
	for h in prestart createRuntime createContainer startContainer poststart poststop; do
		jq -e --arg id "$CT" --arg b "$BUNDLE" '.id == $id and .bundle == $b and (.ociVersion | type == "string")' \
			"$HOOKS/$h.state" >/dev/null || {
			echo "# bad state for $h: $(cat "$HOOKS/$h.state")" >&2
			return 1
		}
	done
	assert_eq "$(jq -r .status "$HOOKS/prestart.state")" creating "status for prestart"
	assert_eq "$(jq -r .status "$HOOKS/createRuntime.state")" creating "status for createRuntime"
	assert_eq "$(jq -r .status "$HOOKS/createContainer.state")" creating "status for createContainer"
	assert_eq "$(jq -r .status "$HOOKS/startContainer.state")" created "status for startContainer"
	assert_eq "$(jq -r .status "$HOOKS/poststop.state")" stopped "status for poststop"
	# pids: as the runtime sees it in runtime hooks, as the container sees it in container hooks
	assert_eq "$(jq -r .pid "$HOOKS/createRuntime.state")" "$PID" "pid for createRuntime"
	assert_eq "$(jq -r .pid "$HOOKS/poststart.state")" "$PID" "pid for poststart"
	assert_eq "$(jq -r .pid "$HOOKS/createContainer.state")" 1 "pid for createContainer"
	assert_eq "$(jq -r .pid "$HOOKS/startContainer.state")" 1 "pid for startContainer"
}

@test "hooks: poststart gets status running" {
	skip_if_runc "runc 1.1.5 passes status 'created' to poststart"
	full_lifecycle
	assert_eq "$(jq -r .status "$HOOKS/poststart.state")" running "status for poststart"
}

@test "hooks: args and env are the hook's own" {
	cfg --arg p "$T/hook.sh" '.hooks.createRuntime = [{path: $p, args: ["hook.sh", "createRuntime", "a b", "c"], env: ["HOOKVAR=v 1", "OTHER=x"]}]'
	export HULL_TEST_CALLER_VAR=leak
	run hull_detached create "$CT"
	assert_status 0
	assert_eq "$(sed -n 's/^args=//p' "$HOOKS/createRuntime.info")" "createRuntime a b c" argv
	run grep '^env:' "$HOOKS/createRuntime.info"
	assert_contains "$output" "env:HOOKVAR=v 1"
	assert_contains "$output" "env:OTHER=x"
	assert_not_contains "$output" HULL_TEST_CALLER_VAR
	assert_not_contains "$output" "TERM=xterm"
}

@test "hooks: several hooks of one kind run in array order" {
	cfg --arg p "$T/hook.sh" '.hooks.createRuntime = [
		{path: $p, args: ["hook.sh", "first"]}, {path: $p, args: ["hook.sh", "second"]}, {path: $p, args: ["hook.sh", "third"]}]'
	run hull_detached create "$CT"
	assert_status 0
	assert_eq "$(tr '\n' ' ' <"$HOOKS/order")" "first second third " order
}

@test "hooks: run calls every hook, poststop when the process exits" {
	all_hooks
	set_args true
	ct_run
	assert_status 0
	assert_eq "$(wc -l <"$HOOKS/order")" 6 "hooks run"
	assert_eq "$(tail -n 1 "$HOOKS/order")" poststop "last hook"
	assert_eq "$(jq -r .status "$HOOKS/poststop.state")" stopped "status for poststop"
}

@test "hooks: a timeout kills a slow hook and fails create" {
	cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo $$ >'"$T"'/hookpid; exec sleep 30"], timeout: 1}]'
	set_args sleep 100
	local start=$SECONDS
	run hull_detached create "$CT"
	assert_failed
	[ $((SECONDS - start)) -lt 10 ]
	[[ "${output,,}" =~ time(out|d\ out) ]] || { echo "# no timeout in: $output" >&2; return 1; }
	pid_gone "$(cat "$T/hookpid")"
	assert_no_leftovers "$CT"
}

@test "hooks: a failing createRuntime hook fails create and leaves nothing behind" {
	cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo hook-says-no >&2; exit 3"]}]'
	set_args sleep 100
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "hooks: a failing prestart, createContainer or startContainer hook fails" {
	local kind
	set_args sleep 100
	for kind in prestart createContainer; do
		cfg --arg k "$kind" '.hooks = {($k): [{path: "/bin/false"}]}'
		run hull_detached create "$CT"
		assert_failed
		assert_no_leftovers "$CT"
	done
	cfg '.hooks = {startContainer: [{path: "/bin/false"}]}'
	run hull_detached run "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "hooks: a missing hook program fails create and leaves nothing behind" {
	cfg '.hooks.prestart = [{path: "/no/such/hook"}]'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" /no/such/hook
	assert_no_leftovers "$CT"
}

@test "hooks: a failing poststart hook fails start and stops the container" {
	skip_if_runc "runc 1.1.5 runs poststart hooks during create"
	cfg '.hooks.poststart = [{path: "/bin/false"}]'
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	run hull start "$CT"
	assert_failed
	pid_gone "$pid"
	local s
	s=$(state_of "$CT")
	[ -z "$s" ] || [ "$s" = stopped ]
}

@test "hooks: a failing poststop hook only warns" {
	cfg --arg p "$T/hook.sh" '.hooks.poststop = [{path: "/bin/false"}, {path: $p, args: ["hook.sh", "poststop-after"]}]'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	hull kill "$CT" KILL
	wait_status "$CT" stopped
	run --separate-stderr hull delete "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
	skip_if_runc "runc 1.1.5 skips the poststop hooks after a failing one"
	assert_contains "$stderr" poststop
	# the remaining hooks still run
	assert_eq "$(cat "$HOOKS/order")" poststop-after order
}

@test "hooks: a relative hook path is refused" {
	cfg '.hooks.prestart = [{path: "bin/true"}]'
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
	is_runc || assert_contains "$output" hooks.prestart
}
