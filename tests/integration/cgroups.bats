#!/usr/bin/env bats
# The container's cgroup: limits from config.json, `update`, `pause` /
# `resume`, `events` and `ps`.  Limits are read back from the host's cgroup
# files of the test's cgroup (/$CG_NAME, see helpers.bash); on cgroup v2 the
# v1 values are converted as runc converts them.

load helpers

# Is the host pure cgroup v2?
cg_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# cg_file CONTROLLER FILE: the container's cgroup file on the host.
cg_file() {
	if cg_v2; then
		echo "/sys/fs/cgroup/$CG_NAME/$2"
	else
		local d
		for d in /sys/fs/cgroup/$1 /sys/fs/cgroup/$1,* /sys/fs/cgroup/*,$1 /sys/fs/cgroup/*,$1,*; do
			[ -e "$d/$CG_NAME/$2" ] && { echo "$d/$CG_NAME/$2"; return; }
		done
		echo "/sys/fs/cgroup/$1/$CG_NAME/$2"
	fi
}

start_sleeper() {
	set_args sleep 1000
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" running
}

ct_pid() { hull state "$CT" | jq -r .pid; }

@test "cgroups: limits from config.json are in place and the container is in its cgroup" {
	cfg '.linux.resources.memory = {"limit": 104857600} | .linux.resources.pids = {"limit": 64}
		| .linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}'
	start_sleeper
	local pid
	pid=$(ct_pid)
	if cg_v2; then
		assert_eq "$(cat "$(cg_file memory memory.max)")" 104857600 memory.max
		assert_eq "$(cat "$(cg_file cpu cpu.max)")" "50000 100000" cpu.max
		assert_eq "$(cat "$(cg_file cpu cpu.weight)")" 20 cpu.weight
		grep -qx "0::/$CG_NAME" "/proc/$pid/cgroup"
	else
		assert_eq "$(cat "$(cg_file memory memory.limit_in_bytes)")" 104857600 memory.limit
		assert_eq "$(cat "$(cg_file cpu cpu.cfs_quota_us)")" 50000 cfs_quota
		assert_eq "$(cat "$(cg_file cpu cpu.shares)")" 512 cpu.shares
		# in every v1 hierarchy, not only the unified one
		grep -q "memory:/$CG_NAME\$" "/proc/$pid/cgroup" || {
			cat "/proc/$pid/cgroup" >&2
			return 1
		}
		grep -q "freezer:/$CG_NAME\$" "/proc/$pid/cgroup"
	fi
	assert_eq "$(cat "$(cg_file pids pids.max)")" 64 pids.max
}

@test "cgroups: a pids limit stops forks inside the container" {
	cfg '.linux.resources.pids = {"limit": 4}'
	# busybox sh gives up at the first fork that fails
	ct_sh 'for i in 1 2 3 4 5 6; do sleep 5 & echo spawned $i; done'
	# sh itself and 3 children fit in 4
	assert_contains "$output" "spawned 3"
	assert_not_contains "$output" "spawned 4"
}

@test "exec: the new process joins the container's cgroups" {
	start_sleeper
	run --separate-stderr hull exec "$CT" cat /proc/self/cgroup
	assert_status 0
	if cg_v2; then
		assert_contains "$output" "0::/$CG_NAME"
	else
		assert_contains "$output" "memory:/$CG_NAME"
		assert_contains "$output" "pids:/$CG_NAME"
		# hybrid: the unified hierarchy too, as runc does
		if [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
			assert_contains "$output" "0::/$CG_NAME"
		fi
	fi
}

@test "update: flags change the limits of a running container" {
	start_sleeper
	run --separate-stderr hull update --memory 200M --memory-swap 300M --cpu-share 256 \
		--cpu-quota 20000 --cpu-period 100000 --pids-limit 30 "$CT"
	assert_status 0
	assert_eq "$(cat "$(cg_file pids pids.max)")" 30 pids.max
	if cg_v2; then
		assert_eq "$(cat "$(cg_file memory memory.max)")" 209715200 memory.max
		assert_eq "$(cat "$(cg_file cpu cpu.max)")" "20000 100000" cpu.max
		assert_eq "$(cat "$(cg_file cpu cpu.weight)")" 10 cpu.weight
	else
		assert_eq "$(cat "$(cg_file memory memory.limit_in_bytes)")" 209715200 memory.limit
		assert_eq "$(cat "$(cg_file memory memory.memsw.limit_in_bytes)")" 314572800 memsw
		assert_eq "$(cat "$(cg_file cpu cpu.cfs_quota_us)")" 20000 cfs_quota
		assert_eq "$(cat "$(cg_file cpu cpu.shares)")" 256 cpu.shares
	fi
	# the period alone keeps the quota
	run hull update --cpu-period 200000 "$CT"
	assert_status 0
	if cg_v2; then
		assert_eq "$(cat "$(cg_file cpu cpu.max)")" "20000 200000" cpu.max
	else
		assert_eq "$(cat "$(cg_file cpu cpu.cfs_period_us)")" 200000 cfs_period
		assert_eq "$(cat "$(cg_file cpu cpu.cfs_quota_us)")" 20000 cfs_quota
	fi
}

@test "update: --resources - reads linux.resources JSON from stdin, as containerd sends it" {
	start_sleeper
	run hull update --resources - "$CT" <<<'{"memory": {"limit": 157286400}, "cpu": {"shares": 1024}, "pids": {"limit": 40}}'
	assert_status 0
	assert_eq "$(cat "$(cg_file pids pids.max)")" 40 pids.max
	if cg_v2; then
		assert_eq "$(cat "$(cg_file memory memory.max)")" 157286400 memory.max
	else
		assert_eq "$(cat "$(cg_file memory memory.limit_in_bytes)")" 157286400 memory.limit
	fi
	echo '{"memory": {"limit": 104857600}}' >"$T/res.json"
	run hull update -r "$T/res.json" "$CT"
	assert_status 0
	if cg_v2; then
		assert_eq "$(cat "$(cg_file memory memory.max)")" 104857600 memory.max
	else
		assert_eq "$(cat "$(cg_file memory memory.limit_in_bytes)")" 104857600 memory.limit
	fi
}

@test "update: bad values and a missing container fail with one error line" {
	start_sleeper
	run --separate-stderr hull update --memory lots "$CT"
	assert_failed
	assert_contains "$stderr" "invalid value for memory"
	assert_hull_error_line "$stderr"
	run --separate-stderr hull update --memory 100M nosuchct
	assert_failed
	assert_contains "$stderr" "does not exist"
	run --separate-stderr hull update "$CT" extra
	assert_failed
	assert_contains "$stderr" "requires exactly 1 argument"
}

@test "update: an impossible value names the cgroup file" {
	skip_if_runc "runc words it differently"
	start_sleeper
	run --separate-stderr hull update --cpu-quota 500 "$CT"
	assert_failed
	assert_contains "$stderr" "linux.resources.cpu.quota: write \"500"
	assert_contains "$stderr" "$CG_NAME/cpu."
	assert_contains "$stderr" "invalid argument"
	assert_hull_error_line "$stderr"
}

@test "pause / resume: freeze and thaw every process, status paused and back" {
	set_args sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/dev/shm/tick; sleep 0.05; done'
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" running
	run hull pause "$CT"
	assert_status 0
	assert_eq "$(state_of "$CT")" paused status
	if cg_v2; then
		assert_eq "$(cat "$(cg_file memory cgroup.freeze)")" 1 cgroup.freeze
	else
		assert_eq "$(cat "$(cg_file freezer freezer.state)")" FROZEN freezer.state
	fi
	# nothing runs: the file the loop writes does not change
	local pid a b
	pid=$(ct_pid)
	a=$(cat "/proc/$pid/root/dev/shm/tick" 2>/dev/null)
	[ -n "$a" ]
	sleep 0.3
	b=$(cat "/proc/$pid/root/dev/shm/tick" 2>/dev/null)
	assert_eq "$b" "$a" "tick while paused"
	run --separate-stderr hull pause "$CT"
	assert_failed
	assert_contains "$stderr" "container not running"
	run hull resume "$CT"
	assert_status 0
	assert_eq "$(state_of "$CT")" running status
	sleep 0.3
	b=$(cat "/proc/$pid/root/dev/shm/tick" 2>/dev/null)
	[ "$b" != "$a" ]
	run --separate-stderr hull resume "$CT"
	assert_failed
	assert_contains "$stderr" "container not paused"
}

@test "pause: a paused container can be killed and deleted" {
	start_sleeper
	run hull pause "$CT"
	assert_status 0
	run hull delete --force "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
}

@test "events --stats: one stats event with runc's field names" {
	cfg '.linux.resources.memory = {"limit": 104857600} | .linux.resources.pids = {"limit": 64}'
	start_sleeper
	run --separate-stderr hull events --stats "$CT"
	assert_status 0
	assert_eq "$(wc -l <<<"$output")" 1 "lines"
	jq -e --arg id "$CT" '.type == "stats" and .id == $id' <<<"$output"
	jq -e '.data.memory.usage.limit == 104857600' <<<"$output"
	jq -e '.data.pids.current >= 1 and .data.pids.limit == 64' <<<"$output"
	jq -e '.data.cpu.usage.total > 0 and (.data.cpu.usage | has("kernel") and has("user"))' <<<"$output"
	jq -e '.data | has("blkio") and has("hugetlb") and has("cpuset")' <<<"$output"
}

@test "events: stats every --interval" {
	start_sleeper
	timeout 1.5 "$HULL" --root "$ROOT" events --interval 300ms "$CT" >"$T/ev" 2>"$T/ev.err" || true
	local n
	n=$(grep -c '"type":"stats"' "$T/ev")
	[ "$n" -ge 3 ] || {
		cat "$T/ev" "$T/ev.err" >&2
		return 1
	}
	run --separate-stderr hull events --interval 0s "$CT"
	assert_failed
	assert_contains "$stderr" "duration interval must be greater than 0"
}

@test "events: an OOM kill is reported as an oom event" {
	cfg '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_args sh -c 'sleep 1; x=$(head -c 100000000 /dev/zero | tr "\0" a); sleep 100'
	run hull_detached run -d "$CT"
	assert_status 0
	"$HULL" --root "$ROOT" events --interval 10s "$CT" >"$T/ev" 2>"$T/ev.err" &
	local ev=$! i
	for i in $(seq 100); do
		grep -q '"type":"oom"' "$T/ev" && break
		sleep 0.1
	done
	kill "$ev" 2>/dev/null || true # hull's ends with the container
	wait "$ev" 2>/dev/null || true
	grep -q "{\"type\":\"oom\",\"id\":\"$CT\"}" "$T/ev" || {
		cat "$T/ev" "$T/ev.err" >&2
		return 1
	}
}

@test "events: ends when the container stops" {
	skip_if_runc "runc events runs until it is killed"
	set_args sleep 1
	run hull_detached run -d "$CT"
	assert_status 0
	run timeout 10 "$HULL" --root "$ROOT" events --interval 200ms "$CT"
	assert_status 0
}

@test "events: a stopped container is refused" {
	set_args true
	run hull_detached run -d "$CT"
	wait_status "$CT" stopped
	run --separate-stderr hull events --stats "$CT"
	assert_failed
	assert_contains "$stderr" "is not running"
}

@test "ps: the container's processes, as ps -ef lines or a JSON list" {
	set_args sh -c 'sleep 1000 & sleep 1001'
	run hull_detached run -d "$CT"
	assert_status 0
	wait_status "$CT" running
	local pid
	pid=$(ct_pid)
	for i in $(seq 50); do
		[ "$(hull ps --format json "$CT" | jq length)" = 2 ] && break
		sleep 0.1
	done
	run hull ps --format json "$CT"
	assert_status 0
	jq -e --argjson p "$pid" 'length == 2 and (index($p) != null)' <<<"$output"
	run hull ps "$CT"
	assert_status 0
	[[ "${lines[0]}" == UID*PID*CMD* ]]
	assert_eq "$((${#lines[@]} - 1))" 2 "process lines"
	assert_contains "$output" "sleep 1000"
	assert_contains "$output" "sleep 1001"
	assert_not_contains "$output" "bats"
	run hull ps "$CT" -o pid,comm
	assert_status 0
	[[ "${lines[0]}" =~ PID\ +COMMAND ]]
	assert_eq "$((${#lines[@]} - 1))" 2 "process lines"
	run --separate-stderr hull ps -f xml "$CT"
	assert_failed
	assert_contains "$stderr" "invalid format option"
}

@test "delete: the container's cgroups are removed" {
	start_sleeper
	[ -n "$(test_cgroup_dirs)" ]
	run hull delete --force "$CT"
	assert_status 0
	assert_no_leftovers "$CT"
}

@test "systemd: --systemd-cgroup puts the container directly in a transient scope" {
	[ -d /run/systemd/system ] || skip "systemd is not PID 1"
	local unit=hull-test-$CT.scope
	cfg --arg p "system.slice:hull-test:$CT" '.linux.cgroupsPath = $p
		| .linux.resources.memory = {"limit": 104857600} | .linux.resources.pids = {"limit": 64}'
	set_args sleep 1000
	run hull_detached --systemd-cgroup run -d "$CT"
	assert_status 0
	wait_status "$CT" running
	local pid
	pid=$(ct_pid)
	if cg_v2; then
		grep -qx "0::/system.slice/$unit" "/proc/$pid/cgroup" || {
			cat "/proc/$pid/cgroup" >&2
			return 1
		}
		assert_eq "$(cat /sys/fs/cgroup/system.slice/$unit/memory.max)" 104857600 memory.max
		# only the container's process: nothing of hull's is left in the scope
		assert_eq "$(cat /sys/fs/cgroup/system.slice/$unit/cgroup.procs)" "$pid" procs
	fi
	run systemctl show -p Transient -p Slice -p ActiveState -p Delegate "$unit"
	assert_contains "$output" "Transient=yes"
	assert_contains "$output" "Slice=system.slice"
	assert_contains "$output" "ActiveState=active"
	assert_contains "$output" "Delegate=yes"
	run hull --systemd-cgroup update --memory 200M "$CT"
	assert_status 0
	run systemctl show -p MemoryMax "$unit"
	cg_v2 && assert_eq "$output" "MemoryMax=209715200" MemoryMax
	run hull --systemd-cgroup pause "$CT"
	assert_status 0
	run hull --systemd-cgroup resume "$CT"
	assert_status 0
	run hull --systemd-cgroup delete --force "$CT"
	assert_status 0
	run systemctl is-active "$unit"
	[ "$output" != active ]
	[ ! -d "/sys/fs/cgroup/system.slice/$unit" ]
}
