#!/usr/bin/env bats
# config.json validation: a bad config fails create with one line naming the
# field, and leaves nothing behind; unknown fields are ignored.

load helpers

# bad_config JQ-FILTER FIELD-PATH: create fails; hull's error names FIELD-PATH
bad_config() {
	cfg "$1"
	run --separate-stderr hull create "$CT" </dev/null
	if [ "$status" -eq 0 ]; then
		echo "# create succeeded with: $1" >&2
		return 1
	fi
	assert_no_leftovers "$CT" || return 1
	is_runc && return 0
	assert_hull_error_line "$stderr" || return 1
	assert_contains "$stderr" "$2"
}

@test "config: empty process.args" {
	set_args
	bad_config . process.args
}

@test "config: missing process.args" {
	bad_config 'del(.process.args)' process.args
}

@test "config: process.args of the wrong type" {
	bad_config '.process.args = "true"' process.args
}

@test "config: process.user.uid of the wrong type" {
	bad_config '.process.user.uid = "x"' process.user.uid
}

@test "config: relative process.cwd" {
	bad_config '.process.cwd = "relative"' process.cwd
}

@test "config: missing process" {
	bad_config 'del(.process)' process
}

@test "config: missing root" {
	bad_config 'del(.root)' root
}

@test "config: duplicated namespace" {
	bad_config '.linux.namespaces += [{"type": "pid"}]' linux.namespaces
}

@test "config: unknown namespace type" {
	bad_config '.linux.namespaces[0].type = "bogus"' 'linux.namespaces[0]'
}

@test "config: bad device type" {
	bad_config '.linux.devices = [{"path": "/dev/x", "type": "x", "major": 1, "minor": 1}]' 'linux.devices[0]'
}

@test "config: unknown rlimit" {
	bad_config '.process.rlimits[0].type = "RLIMIT_NOPE"' 'process.rlimits[0]'
}

@test "config: hostname without a uts namespace" {
	bad_config '.linux.namespaces |= map(select(.type != "uts"))' hostname
}

@test "config: a hook with a relative path" {
	bad_config '.hooks.createRuntime = [{"path": "true"}]' 'hooks.createRuntime[0]'
}

@test "config: a hook with a zero timeout" {
	bad_config '.hooks.createRuntime = [{"path": "/bin/true", "timeout": 0}]' 'hooks.createRuntime[0].timeout'
}

@test "config: invalid JSON names config.json" {
	echo '{"ociVersion": "1.0.2", "process": {' >config.json
	run --separate-stderr hull create "$CT" </dev/null
	assert_failed
	assert_no_leftovers "$CT"
	is_runc || assert_contains "$stderr" config.json
	assert_hull_error_line "$stderr"
}

@test "config: a mount with a missing source names the mount" {
	bad_config '.mounts += [{"destination": "/data", "type": "bind", "source": "/no/such/source", "options": ["bind"]}]' 'mounts[7]'
}

@test "config: unknown fields are ignored" {
	cfg '.foo = {"x": 1} | .process.bar = 1 | .linux.baz = [1] | .mounts[0].qux = "y" | .hooks = {"unknownHook": [{"path": "/bin/false"}]}'
	ct_sh 'echo ok'
	assert_status 0
	assert_eq "$output" ok
}

@test "config: a config read at create is not read again at start" {
	share
	set_args sh -c 'echo first >/shared/out'
	run hull_detached create "$CT"
	assert_status 0
	# runtime.md: updates to config.json after create MUST NOT affect the container
	set_args sh -c 'echo second >/shared/out'
	echo garbage >>config.json
	run hull start "$CT"
	assert_status 0
	wait_status "$CT" stopped
	assert_eq "$(cat "$SHARED/out")" first
}
