#!/usr/bin/env bats
# The command line: runc's commands, flags, messages and exit codes.

load helpers

@test "cli: --version and -v print version, commit and spec lines" {
	run "$HULL" --version
	assert_status 0
	[[ "${lines[0]}" == "$HULL_FLAVOR version "* ]]
	[[ "${lines[1]}" == "commit: "* ]]
	[[ "${lines[2]}" == "spec: "* ]]
	local first=$output
	run "$HULL" -v
	assert_status 0
	assert_eq "$output" "$first" "-v output"
}

@test "cli: --version names hull and spec 1.3" {
	skip_if_runc "prints 'runc version' and spec 1.0.2-dev"
	run "$HULL" --version
	assert_status 0
	[[ "${lines[0]}" =~ ^hull\ version\ [0-9]+\.[0-9]+ ]]
	[[ "${lines[2]}" =~ ^spec:\ 1\.3 ]]
}

@test "cli: --help and -h list the commands and exit 0" {
	local h
	for h in --help -h; do
		run "$HULL" $h
		assert_status 0
		for cmd in create start run state list kill delete spec; do
			assert_contains "$output" "$cmd"
		done
		assert_contains "$output" "--root"
	done
}

@test "cli: COMMAND --help shows that command's flags" {
	run "$HULL" create --help
	assert_status 0
	assert_contains "$output" "--bundle"
	assert_contains "$output" "--pid-file"
	run "$HULL" kill --help
	assert_status 0
	assert_contains "$output" "--all"
}

@test "cli: unknown command exits 3" {
	run --separate-stderr "$HULL" --root "$ROOT" frobnicate
	assert_status 3
	assert_contains "$stderr" "No help topic for 'frobnicate'"
	assert_hull_error_line "$stderr"
}

@test "cli: unknown global flag exits 1" {
	run --separate-stderr "$HULL" --frobnicate list
	assert_status 1
	assert_contains "$stderr" "flag provided but not defined: -frobnicate"
}

@test "cli: unknown command flag exits 1" {
	run --separate-stderr "$HULL" --root "$ROOT" list --frobnicate
	assert_status 1
	assert_contains "$stderr" "flag provided but not defined: -frobnicate"
}

@test "cli: missing container id exits 1" {
	local c
	for c in state delete start; do
		run --separate-stderr hull $c
		assert_status 1
		assert_contains "$stderr" "requires exactly 1 argument(s)"
	done
	run --separate-stderr hull kill
	assert_status 1
	assert_contains "$stderr" "requires a minimum of 1 argument(s)"
}

@test "cli: 'init' by hand says it is internal and does not crash" {
	skip_if_runc "runc init panics when run by hand"
	run --separate-stderr "$HULL" init
	assert_failed
	[ "$status" -lt 128 ]
	assert_contains "$stderr" "internal"
	assert_hull_error_line "$stderr"
}

@test "cli: state/kill/delete/start of a missing container: 'container does not exist', exit 1" {
	local c
	for c in state kill delete start; do
		run --separate-stderr hull $c nosuch
		assert_status 1
		assert_contains "$stderr" "container does not exist"
		assert_hull_error_line "$stderr"
	done
}

@test "cli: delete --force of a missing container succeeds" {
	run hull delete --force nosuch
	assert_status 0
	run hull delete -f nosuch
	assert_status 0
}

@test "cli: --log with --log-format json writes one JSON record per error" {
	run --separate-stderr hull --log "$T/log.json" --log-format json state nosuch
	assert_status 1
	# the error is shown on stderr too
	assert_contains "$stderr" "container does not exist"
	[ -s "$T/log.json" ]
	run jq -e -c 'select(.level == "error")' "$T/log.json"
	assert_status 0
	local rec=${lines[0]}
	jq -e '(keys | sort) == ["level", "msg", "time"]' <<<"$rec"
	jq -e '.msg | contains("container does not exist")' <<<"$rec"
	# RFC 3339 time
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")' <<<"$rec"
}

@test "cli: --log-format json records 'container not running' for kill of a stopped container" {
	set_args true
	run hull_detached create "$CT"
	assert_status 0
	run hull start "$CT"
	assert_status 0
	wait_status "$CT" stopped
	run --separate-stderr hull --log "$T/log.json" --log-format json kill "$CT" KILL
	assert_status 1
	assert_contains "$stderr" "container not running"
	jq -e -s 'map(select(.level == "error")) | .[0].msg | contains("container not running")' "$T/log.json"
}

@test "cli: --log with the default text format writes logfmt lines" {
	run hull --log "$T/log.txt" state nosuch
	assert_status 1
	run cat "$T/log.txt"
	assert_contains "$output" 'level=error'
	assert_contains "$output" 'msg="container does not exist"'
	assert_contains "$output" 'time="'
}

@test "cli: --root keeps state in the given directory" {
	set_args sleep 100
	run hull_detached create "$CT"
	assert_status 0
	[ -d "$ROOT/$CT" ]
	run hull list -q
	assert_eq "$output" "$CT"
	# another root does not see it
	run "$HULL" --root "$T/other" list -q
	assert_status 0
	assert_eq "$output" ""
}

@test "cli: default --root is /run/$HULL_FLAVOR" {
	local id=hull-it-defroot-${BATS_ROOT_PID}-$BATS_SUITE_TEST_NUMBER
	DEFROOT_ID=$id
	set_args sleep 100
	run detached "$HULL" create "$id"
	assert_status 0
	[ -d "/run/$HULL_FLAVOR/$id" ]
	run timeout 20 "$HULL" delete --force "$id"
	assert_status 0
	[ ! -e "/run/$HULL_FLAVOR/$id" ]
}
teardown_more() {
	[ -n "${DEFROOT_ID:-}" ] && timeout 20 "$HULL" delete --force "$DEFROOT_ID" >/dev/null 2>&1
	return 0
}

@test "cli: short flags: create -b, kill -a, delete -f, list -q, list -f json" {
	set_args sleep 100
	cd /
	run hull_detached create -b "$BUNDLE" "$CT"
	assert_status 0
	assert_eq "$(state_of "$CT")" created
	run hull list -q
	assert_eq "$output" "$CT"
	run hull list -f json
	assert_status 0
	assert_eq "$(jq -r '.[0].id' <<<"$output")" "$CT"
	run hull start "$CT"
	assert_status 0
	run hull kill -a "$CT" KILL
	assert_status 0
	wait_status "$CT" stopped
	run hull delete -f "$CT"
	assert_status 0
	[ ! -e "$ROOT/$CT" ]
}

@test "cli: flags accept --flag=value and -flag value forms" {
	set_args sleep 100
	cd /
	run hull_detached create --bundle="$BUNDLE" "$CT"
	assert_status 0
	run hull list --format=json
	assert_status 0
	assert_eq "$(jq -r '.[0].id' <<<"$output")" "$CT"
	run hull list -format json
	assert_status 0
	assert_eq "$(jq -r '.[0].id' <<<"$output")" "$CT"
	run hull delete --force=true "$CT"
	assert_status 0
}

@test "cli: invalid container id is refused" {
	set_args true
	run hull_detached create "../evil"
	assert_failed
	[ ! -e "$T/evil" ]
	run hull_detached create "a/b"
	assert_failed
}

@test "cli: features prints the spec's features JSON" {
	run --separate-stderr hull features
	assert_status 0
	jq -e '(.ociVersionMin | type == "string") and (.ociVersionMax | type == "string")
		and (.hooks | index("createRuntime") and index("poststop"))
		and (.mountOptions | index("rbind") and index("ro"))
		and (.linux.namespaces | index("pid") and index("user") and index("cgroup"))
		and (.linux.capabilities | index("CAP_SYS_ADMIN"))' <<<"$output"
}

@test "cli: features declares spec 1.3, the time namespace and idmap mounts" {
	skip_if_runc "runc 1.1.5's features stop at spec 1.0.2-dev"
	run --separate-stderr hull features
	assert_status 0
	jq -e '(.ociVersionMax | startswith("1.3"))
		and (.linux.namespaces | index("time"))
		and (.mountOptions | index("idmap"))
		and .linux.mountExtensions.idmap.enabled == true' <<<"$output"
}
