#!/usr/bin/env bats
# hull check: every problem of a config, with its JSON path and line:column;
# and the same broken bundles given to create: the documented error, exit 1,
# nothing left behind.

load helpers

SPEC_DIR=$REPO/../shared/oci-runtime-spec
ERRORS_MD=$REPO/docs/ERRORS.md

# check_line OUTPUT PATH: the first "FILE:L:C: error: PATH..." line of OUTPUT
check_line() {
	printf '%s\n' "$1" | grep -F -m1 ": error: $2" || true
}

# The spec's bad examples: each must be reported at the field that is bad.
@test "check: each bad example of the spec is reported at its path" {
	skip_if_runc "hull check is hull's own"
	local f name want line n=0
	for f in "$SPEC_DIR"/schema/test/config/bad/*.json; do
		name=${f##*/}
		case $name in
		freebsd-vnet-disable.json) want='freebsd.jail.vnet: invalid value "disable"' ;;
		invalid-json.json) want='invalid JSON' ;;
		linux-hugepage.json) want='linux.resources.hugepageLimits[0].pageSize: expected a size' ;;
		linux-netdevice.json) want='linux.netDevices.eth0.name: expected a string' ;;
		linux-rdma.json) want='linux.resources.rdma.mlx5_1.hcaHandles: expected an unsigned 32-bit integer' ;;
		*)
			echo "# $name: a new bad example: add what check must say about it" >&2
			return 1
			;;
		esac
		mkdir -p "$T/bad/$name"
		cp "$f" "$T/bad/$name/config.json"
		run --separate-stderr hull check --bundle "$T/bad/$name"
		assert_status 1 || return 1
		line=$(check_line "$output" "$want")
		if [ -z "$line" ]; then
			echo "# $name: no error '$want' in: $output" >&2
			return 1
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 5 ]
	# positions: the bad value's key (or the syntax error) in the file
	run hull check --bundle "$T/bad/linux-rdma.json"
	assert_contains "$output" "$T/bad/linux-rdma.json/config.json:10:21: error: linux.resources.rdma.mlx5_1.hcaHandles"
	run hull check --bundle "$T/bad/invalid-json.json"
	assert_contains "$output" "config.json:1:2: error: invalid JSON"
}

@test "check: a good bundle has no problem, exit 0" {
	skip_if_runc "hull check is hull's own"
	run --separate-stderr hull check
	assert_status 0
	assert_contains "$output" "config.json: 0 errors, 0 warnings"
	assert_contains "$output" "host: Linux "
}

@test "check: warnings only exit 0" {
	skip_if_runc "hull check is hull's own"
	cfg '.process.capabilities.bounding += ["CAP_NO_SUCH_THING"]'
	run --separate-stderr hull check
	assert_status 0
	assert_contains "$output" 'warning: process.capabilities.bounding['
	assert_contains "$output" 'unknown capability "CAP_NO_SUCH_THING": ignored'
	assert_contains "$output" "0 errors, 1 warning"
}

@test "check: every problem is reported, not just the first, each at its line" {
	skip_if_runc "hull check is hull's own"
	cfg '.process.cwd = 5 | .process.user.uid = "x"
		| .process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 10, "hard": 1}]
		| .linux.maskedPaths += ["relative"] | .hostname = "h"
		| .linux.namespaces |= map(select(.type != "uts"))
		| .linux.sysctl = {"kernel.panic": "1"}'
	run --separate-stderr hull check
	assert_status 1
	local want path line l
	for want in process.cwd process.user.uid 'process.rlimits[0].type' 'process.rlimits[1]: soft limit' \
		'linux.maskedPaths[' hostname 'linux.sysctl["kernel.panic"]'; do
		line=$(check_line "$output" "$want")
		if [ -z "$line" ]; then
			echo "# no error for $want in: $output" >&2
			return 1
		fi
	done
	# each line:column is where the field is in the file
	for path in process.cwd process.user.uid hostname; do
		line=$(check_line "$output" "$path:")
		l=$(printf '%s' "$line" | cut -d: -f2)
		assert_contains "$(sed -n "${l}p" "$BUNDLE/config.json")" "\"${path##*.}\"" || return 1
	done
	# a later array item keeps its index in the file (rlimits[0] was cut out)
	line=$(check_line "$output" 'process.rlimits[1]')
	l=$(printf '%s' "$line" | cut -d: -f2)
	assert_contains "$(sed -n "$((l + 1)),$((l + 3))p" "$BUNDLE/config.json")" RLIMIT_NOFILE
}

@test "check: host problems: rootfs, bind source, args[0], hooks, cpus" {
	skip_if_runc "hull check is hull's own"
	cfg '.root.path = "nonexistent"'
	run --separate-stderr hull check
	assert_status 1
	assert_contains "$output" "error: root.path: the rootfs $BUNDLE/nonexistent"
	cfg '.root.path = "rootfs" | .process.args = ["no-such-program"]
		| .mounts += [{"destination": "/x", "type": "bind", "source": "/nonexistent-src", "options": ["rbind"]}]
		| .hooks.prestart = [{"path": "/nonexistent-hook"}]
		| .linux.resources.cpu.cpus = "0-4095"'
	run --separate-stderr hull check
	assert_status 1
	assert_contains "$output" 'warning: process.args[0]: "no-such-program" is not in the rootfs'
	assert_contains "$output" "error: mounts[7].source: /nonexistent-src: no such file or directory"
	assert_contains "$output" "error: hooks.prestart[0].path: /nonexistent-hook is not an executable file"
	assert_contains "$output" 'error: linux.resources.cpu.cpus: "0-4095" names CPUs'
}

# broken FILTER PATH ERROR DOC: with the jq FILTER applied, `check` exits 1
# with an error at PATH, and `create` exits 1 with ERROR in its one-line
# error, leaving nothing behind; DOC (a format string of the message) is
# listed in docs/ERRORS.md.  (Under runc, a config runc accepts is skipped.)
broken() {
	local filter=$1 path=$2 want=$3 doc=$4 line
	cfg "$filter"
	if ! is_runc; then
		run --separate-stderr hull check
		assert_status 1 || return 1
		line=$(check_line "$output" "$path")
		if [[ "$line" != *config.json:[0-9]*:[0-9]*": error: $path"* ]]; then
			echo "# check: no error at $path (with line:column) in: $output" >&2
			return 1
		fi
		if ! grep -qF -- "$doc" "$ERRORS_MD"; then
			echo "# '$doc' is not in docs/ERRORS.md" >&2
			return 1
		fi
	fi
	# detached: a container that does get created must not hold run's pipe
	run hull_detached create "$CT"
	if is_runc && [ "$status" -eq 0 ]; then
		hull delete --force "$CT" >/dev/null 2>&1
		skip "runc accepts this config"
	fi
	assert_status 1 || return 1
	assert_no_leftovers "$CT" || return 1
	is_runc && return 0
	assert_hull_error_line "$output" || return 1
	assert_contains "$output" "hull: create $CT: " || return 1
	assert_contains "$output" "$want"
}

@test "broken: relative process.cwd" {
	broken '.process.cwd = "relative"' process.cwd 'process.cwd: must be an absolute path' 'must be an absolute path, got'
}

@test "broken: empty process.args" {
	broken '.process.args = []' process.args 'process.args: must not be empty' 'process.args: must not be empty'
}

@test "broken: no process" {
	broken 'del(.process)' process 'process: missing' 'process: missing (required to start the container)'
}

@test "broken: process.user.uid of the wrong type" {
	broken '.process.user.uid = "x"' process.user.uid 'process.user.uid: expected an unsigned 32-bit integer, got a string' '<field>: expected %s, got %s'
}

@test "broken: unknown namespace type" {
	broken '.linux.namespaces += [{"type": "bogus"}]' 'linux.namespaces[5].type' 'unknown namespace type "bogus"' 'unknown namespace type'
}

@test "broken: hostname without a uts namespace" {
	broken '.linux.namespaces |= map(select(.type != "uts"))' hostname 'hostname: needs a UTS namespace' 'hostname: needs a UTS namespace in linux.namespaces'
}

@test "broken: a host-wide sysctl" {
	broken '.linux.sysctl = {"kernel.panic": "1"}' 'linux.sysctl["kernel.panic"]' 'not in a namespace of its own' 'not in a namespace of its own: setting it would change the host'
}

@test "broken: a net sysctl without a network namespace" {
	broken '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))' \
		'linux.sysctl["net.ipv4.ip_forward"]' 'needs a network namespace' 'needs a %s namespace in'
}

@test "broken: uidMappings without a user namespace" {
	broken '.linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 10}] | .linux.gidMappings = .linux.uidMappings' \
		linux.uidMappings 'given without a user namespace' 'given without a user namespace in linux.namespaces'
}

@test "broken: a user namespace without mappings" {
	broken '.linux.namespaces += [{"type": "user"}]' linux.uidMappings 'required to create a user namespace' 'required to create a user namespace'
}

@test "broken: relative maskedPaths" {
	broken '.linux.maskedPaths = ["relative"]' 'linux.maskedPaths[0]' 'must be an absolute path, got "relative"' 'linux.maskedPaths[%zu]: must be an absolute path'
}

@test "broken: relative readonlyPaths" {
	broken '.linux.readonlyPaths = ["rel"]' 'linux.readonlyPaths[0]' 'must be an absolute path, got "rel"' 'linux.readonlyPaths[%zu]: must be an absolute path'
}

@test "broken: relative hook path" {
	broken '.hooks = {"prestart": [{"path": "relative"}]}' 'hooks.prestart[0].path' 'must be absolute, got "relative"' 'hooks.%s[%zu].path: must be absolute'
}

@test "broken: a namespace path that does not exist" {
	broken '.linux.namespaces |= map(if .type == "network" then .path = "/nonexistent/ns" else . end)' \
		'linux.namespaces[1].path' 'open /nonexistent/ns: no such file or directory (ENOENT)' 'linux.namespaces[%u].path: open %s'
}

@test "broken: a namespace path of another type" {
	broken '.linux.namespaces |= map(if .type == "ipc" then .path = "/proc/self/ns/uts" else . end)' \
		'linux.namespaces[2].path' 'is not a ipc namespace' 'linux.namespaces[%u].path: %s is not a %s namespace'
}

@test "broken: oomScoreAdj out of range" {
	broken '.process.oomScoreAdj = 5000' process.oomScoreAdj 'must be from -1000 to 1000, got 5000' 'process.oomScoreAdj: must be from -1000 to 1000'
}

@test "broken: unknown rlimit" {
	broken '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]' 'process.rlimits[0].type' 'unknown rlimit "RLIMIT_BOGUS"' 'unknown rlimit'
}

@test "broken: SCMP_ACT_NOTIFY as the default seccomp action" {
	broken '.linux.seccomp = {"defaultAction": "SCMP_ACT_NOTIFY"}' linux.seccomp.defaultAction 'SCMP_ACT_NOTIFY cannot be the default action' 'SCMP_ACT_NOTIFY cannot be the default action'
}

@test "broken: SCMP_ACT_NOTIFY without a listenerPath" {
	broken '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}' \
		linux.seccomp.listenerPath 'required by linux.seccomp.syscalls[0]' 'linux.seccomp.listenerPath: required by'
}

@test "broken: a mount with uidMappings but no gidMappings" {
	broken '.mounts += [{"destination": "/x", "type": "bind", "source": "/tmp", "options": ["rbind"], "uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}]}]' \
		'mounts[7].uidMappings' 'must be given together with gidMappings' 'mounts[%zu].%s: must be given together with %s'
}

@test "broken: time offsets without a time namespace" {
	broken '.linux.timeOffsets = {"monotonic": {"secs": 1, "nanosecs": 0}}' linux.timeOffsets 'needs a time namespace' 'linux.timeOffsets: needs a time namespace'
}

@test "broken: ioPriority out of range" {
	broken '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 9}' process.ioPriority.priority 'must be from 0 to 7, got 9' 'process.ioPriority.priority: must be from 0 to 7'
}

@test "broken: relative device path" {
	broken '.linux.devices = [{"path": "rel", "type": "c", "major": 1, "minor": 3}]' 'linux.devices[0].path' 'must be an absolute path, got "rel"' 'linux.devices[%zu].path: must be an absolute path'
}

@test "broken: missing rootfs" {
	broken '.root.path = "nonexistent"' root.path 'root.path: rootfs' 'root.path: rootfs %s'
}

@test "broken: a bind mount of a source that does not exist" {
	broken '.mounts += [{"destination": "/x", "type": "bind", "source": "/nonexistent-src", "options": ["rbind"]}]' \
		'mounts[7].source' 'mounts[7] (/x): bind source /nonexistent-src: no such file or directory (ENOENT); hint:' 'bind source %s'
}

@test "broken: cpus the host does not have" {
	broken '.linux.resources.cpu.cpus = "0-4095"' linux.resources.cpu.cpus 'linux.resources.cpu.cpus: write "0-4095" to' '%s: write "%s" to %s'
}

@test "broken: process.args[0] not in the rootfs" {
	skip_if_runc "runc reports it differently"
	set_args /nonexistent
	run --separate-stderr hull create "$CT" </dev/null
	assert_status 1
	assert_no_leftovers "$CT"
	assert_hull_error_line "$stderr"
	assert_contains "$stderr" 'exec: "/nonexistent": no such file or directory (ENOENT); hint: is process.args[0] in the rootfs and on PATH'
	run hull check
	assert_contains "$output" 'warning: process.args[0]: "/nonexistent" is not an executable file in the rootfs'
}

@test "errors: one line with the errno name and a hint; runc's messages unchanged" {
	skip_if_runc "hull's error shape"
	run --separate-stderr hull create --bundle /nonexistent "$CT"
	assert_status 1
	assert_eq "$stderr" "hull: create $CT: bundle /nonexistent: no such file or directory (ENOENT); hint: does the bundle directory exist? (--bundle, default the current directory)"
	run --separate-stderr hull state nosuch
	assert_status 1
	assert_contains "$stderr" "container does not exist"
	assert_not_contains "$stderr" "hint:"
	# --log-format json records carry the same text
	run --separate-stderr "$HULL" --root "$ROOT" --log "$T/log.json" --log-format json create --bundle /nonexistent "$CT"
	assert_status 1
	assert_contains "$(jq -r .msg "$T/log.json")" "no such file or directory (ENOENT); hint:"
}
