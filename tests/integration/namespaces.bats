#!/usr/bin/env bats
# linux.namespaces: each namespace is new (or joined), as the config says.

load helpers

# ns_of_container NS: the container's /proc/self/ns/NS link target.
ns_in_container() {
	set_args readlink "/proc/self/ns/$1"
	ct_run
	assert_status 0
}

@test "namespaces: pid: the process is PID 1" {
	ct_sh 'echo $$'
	assert_status 0
	assert_eq "$output" 1 pid
}

@test "namespaces: pid: the host sees another pid namespace" {
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(host_ns pid)" ]
	# and the container's pid 1 is that process
	assert_eq "$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status")" 1 NSpid
}

@test "namespaces: without a pid namespace the process shares the host's" {
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	ns_in_container pid
	assert_eq "$output" "$(host_ns pid)" "pid ns"
}

@test "namespaces: uts: hostname and a new uts namespace" {
	cfg '.hostname = "box-one"'
	ct_sh 'hostname; readlink /proc/self/ns/uts'
	assert_status 0
	assert_eq "${lines[0]}" box-one hostname
	[ "${lines[1]}" != "$(host_ns uts)" ]
}

@test "namespaces: ipc: a new ipc namespace" {
	ns_in_container ipc
	[ "$output" != "$(host_ns ipc)" ]
}

@test "namespaces: network: a new namespace with only lo" {
	ct_sh 'readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	assert_status 0
	[ "${lines[0]}" != "$(host_ns net)" ]
	assert_eq "${lines[1]}" lo "interfaces"
	assert_eq "${#lines[@]}" 2 "lines"
}

@test "namespaces: without a network namespace the host's is used" {
	cfg '.linux.namespaces |= map(select(.type != "network"))'
	ns_in_container net
	assert_eq "$output" "$(host_ns net)" "net ns"
}

@test "namespaces: mount: a new mount namespace" {
	ns_in_container mnt
	[ "$output" != "$(host_ns mnt)" ]
}

@test "namespaces: cgroup: /proc/self/cgroup shows the container's cgroup as /" {
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	ct_sh 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup'
	assert_status 0
	[ "${lines[0]}" != "$(host_ns cgroup)" ]
	local l
	for l in "${lines[@]:1}"; do
		[[ "$l" == *:/ ]] || {
			echo "# not /: $l" >&2
			return 1
		}
	done
}

@test "namespaces: no cgroup namespace: /proc/self/cgroup shows cgroupsPath" {
	cfg '.linux.namespaces |= map(select(.type != "cgroup"))'
	ct_sh 'readlink /proc/self/ns/cgroup; cat /proc/self/cgroup'
	assert_status 0
	assert_eq "${lines[0]}" "$(host_ns cgroup)" "cgroup ns"
	assert_contains "$output" ":/$CG_NAME"
}

@test "namespaces: user: uid 0 inside maps to the configured host ids" {
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	share
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; touch /shared/file; sleep 100'
	run hull_detached run -d "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	[ "$(readlink "/proc/$pid/ns/user")" != "$(host_ns user)" ]
	wait_file "$SHARED/file" 5 || true
	# on the host the process runs as the mapped ids
	assert_eq "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" 100000 "host uid"
	assert_eq "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" 200000 "host gid"
	read -r a b c <"/proc/$pid/uid_map"
	assert_eq "$a $b $c" "0 100000 65536" uid_map
	read -r a b c <"/proc/$pid/gid_map"
	assert_eq "$a $b $c" "0 200000 65536" gid_map
	# a file created inside is owned by the mapped ids
	assert_eq "$(stat -c %u:%g "$SHARED/file")" "100000:200000" "owner of a new file"
}

@test "namespaces: user: id inside is 0 and uid_map is shown" {
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	ct_sh 'id -u; id -g; cat /proc/self/uid_map'
	assert_status 0
	assert_eq "${lines[0]}" 0 uid
	assert_eq "${lines[1]}" 0 gid
	assert_eq "$(echo ${lines[2]})" "0 100000 65536" uid_map
}

@test "namespaces: time: offsets shift the boottime and monotonic clocks" {
	skip_if_runc "runc 1.1.5 has no time namespace"
	cfg '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"boottime": {"secs": 1000000, "nanosecs": 0}, "monotonic": {"secs": 2000000}}'
	ct_sh 'readlink /proc/self/ns/time; cut -d" " -f1 /proc/uptime'
	assert_status 0
	[ "${lines[0]}" != "$(host_ns time)" ]
	local host inside
	host=$(cut -d' ' -f1 /proc/uptime)
	inside=${lines[1]}
	# inside is ahead of the host by 1000000 s (give or take the test's time)
	awk -v h="$host" -v i="$inside" 'BEGIN { d = i - h; exit !(d > 999900 && d < 1000100) }' || {
		echo "# uptime: host $host, container $inside" >&2
		return 1
	}
}

@test "namespaces: time: without offsets the clocks are the host's" {
	skip_if_runc "runc 1.1.5 has no time namespace"
	cfg '.linux.namespaces += [{"type": "time"}]'
	ct_sh 'readlink /proc/self/ns/time; cut -d" " -f1 /proc/uptime'
	assert_status 0
	[ "${lines[0]}" != "$(host_ns time)" ]
	awk -v h="$(cut -d' ' -f1 /proc/uptime)" -v i="${lines[1]}" 'BEGIN { d = h - i; exit !(d >= 0 && d < 100) }'
}

@test "namespaces: join an existing network namespace by path" {
	touch "$T/netns"
	unshare --net="$T/netns" true
	local want
	want="net:[$(stat -L -c %i "$T/netns")]"
	cfg --arg p "$T/netns" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
	ns_in_container net
	assert_eq "$output" "$want" "net ns"
}

@test "namespaces: join an existing uts and ipc namespace by path" {
	touch "$T/uts" "$T/ipc"
	unshare --uts="$T/uts" --ipc="$T/ipc" hostname joined-host
	cfg --arg u "$T/uts" --arg i "$T/ipc" 'del(.hostname)
		| .linux.namespaces |= map(if .type == "uts" then .path = $u elif .type == "ipc" then .path = $i else . end)'
	ct_sh 'hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc'
	assert_status 0
	assert_eq "${lines[0]}" joined-host hostname
	assert_eq "${lines[1]}" "uts:[$(stat -L -c %i "$T/uts")]" "uts ns"
	assert_eq "${lines[2]}" "ipc:[$(stat -L -c %i "$T/ipc")]" "ipc ns"
}

@test "namespaces: a namespace path that is not a namespace fails create" {
	touch "$T/notns"
	cfg --arg p "$T/notns" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)'
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "namespaces: an unknown namespace type fails create" {
	cfg '.linux.namespaces += [{"type": "bogus"}]'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" "bogus"
	assert_no_leftovers "$CT"
}
