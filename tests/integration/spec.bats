#!/usr/bin/env bats
# `spec`: writes the default config.json that `runc spec` writes.

load helpers

# runc spec's output, without ociVersion (hull says 1.3.x, runc 1.0.2-dev).
# From the real runc when it is installed, else from this copy of runc 1.1.5's.
runc_default() { # [--rootless]
	local d
	d=$(mktemp -d "$T/runc-spec.XXXXXX")
	if [ -x /usr/bin/runc ] && /usr/bin/runc spec --bundle "$d" "$@" 2>/dev/null; then
		jq -S 'del(.ociVersion)' "$d/config.json"
		return
	fi
	[ "${1:-}" = --rootless ] && return 1
	jq -S 'del(.ociVersion)' <<'EOF'
{"ociVersion":"1.0.2-dev","process":{"terminal":true,"user":{"uid":0,"gid":0},"args":["sh"],"env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"],"cwd":"/","capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],"effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],"permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],"ambient":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},"root":{"path":"rootfs","readonly":true},"hostname":"runc","mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},{"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},{"destination":"/dev/mqueue","type":"mqueue","source":"mqueue","options":["nosuid","noexec","nodev"]},{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","relatime","ro"]}],"linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],"maskedPaths":["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys","/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/sys/firmware","/proc/scsi"],"readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}
EOF
}

@test "spec: writes runc's default config.json in the current directory" {
	mkdir "$T/s" && cd "$T/s"
	run hull spec
	assert_status 0
	[ -f config.json ]
	jq -e . config.json >/dev/null
	diff -u <(runc_default) <(jq -S 'del(.ociVersion)' config.json)
}

@test "spec: ociVersion is the runtime's spec version" {
	mkdir "$T/s" && cd "$T/s"
	run hull spec
	assert_status 0
	run jq -r .ociVersion config.json
	[[ "$output" =~ ^1\.[0-9]+\.[0-9]+ ]]
	if ! is_runc; then
		[[ "$output" == 1.3.* ]]
		local v
		v=$("$HULL" --version | sed -n 's/^spec: //p')
		assert_eq "$output" "$v" "ociVersion vs --version spec line"
	fi
}

@test "spec: --rootless writes runc's rootless config" {
	mkdir "$T/s" && cd "$T/s"
	run hull spec --rootless
	assert_status 0
	local want
	want=$(runc_default --rootless) || skip "needs /usr/bin/runc to compare with"
	diff -u <(echo "$want") <(jq -S 'del(.ociVersion)' config.json)
	# the user namespace maps the caller's ids
	assert_eq "$(jq -r '.linux.uidMappings[0].hostID' config.json)" "$(id -u)"
	assert_eq "$(jq -r '.linux.gidMappings[0].hostID' config.json)" "$(id -g)"
	jq -e '.linux.namespaces | map(.type) | index("user") and (index("network") | not)' config.json
}

@test "spec: --bundle and -b write into that directory" {
	mkdir "$T/b1" "$T/b2"
	run hull spec --bundle "$T/b1"
	assert_status 0
	[ -f "$T/b1/config.json" ]
	run hull spec -b "$T/b2"
	assert_status 0
	[ -f "$T/b2/config.json" ]
	[ ! -e "$BUNDLE/config.json.tmp" ]
	cmp "$T/b1/config.json" "$T/b2/config.json"
}

@test "spec: --bundle of a missing directory fails" {
	run --separate-stderr hull spec --bundle "$T/nope"
	assert_status 1
	assert_contains "$stderr" "$T/nope"
	[ ! -e "$T/nope" ]
	assert_hull_error_line "$stderr"
}

@test "spec: refuses to overwrite an existing config.json" {
	mkdir "$T/s" && cd "$T/s"
	echo '{"keep":"me"}' >config.json
	run --separate-stderr hull spec
	assert_status 1
	assert_contains "$stderr" "config.json exists"
	assert_eq "$(cat config.json)" '{"keep":"me"}' "config.json"
	assert_hull_error_line "$stderr"
	# an empty file counts too
	: >config.json
	run hull spec
	assert_status 1
	[ ! -s config.json ]
}

@test "spec: the default config runs busybox" {
	# the bundle's config came from `hull spec`: only terminal, args and
	# cgroupsPath were changed
	set_args sh -c 'echo hello from $(hostname)'
	ct_run
	assert_status 0
	assert_eq "$output" "hello from runc"
}
