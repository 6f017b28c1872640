#!/usr/bin/env bats
# process: user, umask, cwd, env, args, rlimits, oomScoreAdj, capabilities,
# noNewPrivileges, scheduler, ioPriority, execCPUAffinity; linux.personality,
# linux.sysctl, hostname, domainname.

load helpers

# status_field NAME: the value of NAME: in the output of `cat /proc/self/status`
status_field() {
	printf '%s\n' "${lines[@]}" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ +/, ""); print; exit }'
}

@test "process: user uid, gid and additionalGids" {
	cfg '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [10, 20]}'
	ct_sh 'id -u; id -g; cat /proc/self/status'
	assert_status 0
	assert_eq "${lines[0]}" 1000 uid
	assert_eq "${lines[1]}" 1001 gid
	assert_eq "$(status_field Uid)" "1000 1000 1000 1000" "Uid: real, effective, saved, fs"
	assert_eq "$(status_field Gid)" "1001 1001 1001 1001" "Gid: real, effective, saved, fs"
	assert_eq "$(echo $(status_field Groups))" "10 20" Groups
}

@test "process: root has no supplementary groups unless configured" {
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_eq "$(echo $(status_field Groups))" "" Groups
}

@test "process: umask" {
	cfg '.process.user.umask = 63'
	ct_sh 'umask; touch /dev/shm/f; stat -c %a /dev/shm/f'
	assert_status 0
	assert_eq "${lines[0]}" 0077 umask
	assert_eq "${lines[1]}" 600 "mode of a new file"
}

@test "process: umask defaults to 0022" {
	ct_sh 'umask'
	assert_status 0
	assert_eq "$output" 0022 umask
}

@test "process: cwd" {
	cfg '.process.cwd = "/tmp"'
	ct_sh 'pwd'
	assert_status 0
	assert_eq "$output" /tmp cwd
}

@test "process: env is exactly the config's, plus HOME" {
	cfg '.process.env = ["PATH=/bin:/usr/bin", "FOO=bar baz", "EMPTY="]'
	set_args env
	ct_run
	assert_status 0
	assert_eq "$(sort <<<"$output" | tr '\n' ';')" "EMPTY=;FOO=bar baz;HOME=/root;PATH=/bin:/usr/bin;" env
}

@test "process: HOME from the config wins" {
	cfg '.process.env = ["PATH=/bin", "HOME=/somewhere"]'
	ct_sh 'echo $HOME'
	assert_status 0
	assert_eq "$output" /somewhere HOME
}

@test "process: args are passed exactly, first found on PATH" {
	set_args sh -c 'for a in "$@"; do printf "[%s]" "$a"; done' zero 'a b' '' '$x' '"q"'
	ct_run
	assert_status 0
	assert_eq "$output" '[a b][][$x]["q"]' args
	set_args /bin/echo absolute
	ct_run
	assert_status 0
	assert_eq "$output" absolute
}

@test "process: rlimits set soft and hard limits" {
	cfg '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024},
		{"type": "RLIMIT_NPROC", "soft": 300, "hard": 400},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	ct_sh 'ulimit -n; ulimit -Hn; cat /proc/self/limits'
	assert_status 0
	assert_eq "${lines[0]}" 512 "soft NOFILE"
	assert_eq "${lines[1]}" 1024 "hard NOFILE"
	assert_eq "$(awk '/^Max processes/ { print $3, $4 }' <<<"$output")" "300 400" "NPROC"
	assert_eq "$(awk '/^Max core file size/ { print $5, $6 }' <<<"$output")" "0 0" "CORE"
}

@test "process: an unknown rlimit fails create" {
	cfg '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" RLIMIT_BOGUS
	assert_no_leftovers "$CT"
}

@test "process: oomScoreAdj" {
	cfg '.process.oomScoreAdj = 123'
	ct_sh 'cat /proc/self/oom_score_adj'
	assert_status 0
	assert_eq "$output" 123 oom_score_adj
}

@test "process: default capabilities for root" {
	ct_sh 'cat /proc/self/status'
	assert_status 0
	# CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10)
	assert_eq "$(status_field CapBnd)" 0000000020000420 CapBnd
	assert_eq "$(status_field CapPrm)" 0000000020000420 CapPrm
	assert_eq "$(status_field CapEff)" 0000000020000420 CapEff
	assert_eq "$(status_field CapInh)" 0000000000000000 CapInh
}

@test "process: each capability set as configured" {
	cfg '.process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL", "CAP_CHOWN"],
		"permitted": ["CAP_KILL", "CAP_CHOWN"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_eq "$(status_field CapBnd)" 0000000000000021 CapBnd
	assert_eq "$(status_field CapPrm)" 0000000000000021 CapPrm
	assert_eq "$(status_field CapEff)" 0000000000000021 CapEff
	assert_eq "$(status_field CapInh)" 0000000000000020 CapInh
	assert_eq "$(status_field CapAmb)" 0000000000000020 CapAmb
}

@test "process: a non-root user keeps ambient capabilities" {
	cfg '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL", "CAP_CHOWN"],
		"permitted": ["CAP_KILL", "CAP_CHOWN"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_eq "$(status_field CapPrm)" 0000000000000020 CapPrm
	assert_eq "$(status_field CapEff)" 0000000000000020 CapEff
	assert_eq "$(status_field CapAmb)" 0000000000000020 CapAmb
	assert_eq "$(status_field CapBnd)" 0000000000000021 CapBnd
}

@test "process: without capabilities root cannot chown" {
	cfg '.process.capabilities = {"bounding": [], "effective": [], "permitted": []}'
	ct_sh 'touch /dev/shm/f; chown 1:1 /dev/shm/f 2>/dev/null && echo chowned; cat /proc/self/status'
	assert_status 0
	assert_not_contains "$output" chowned
	assert_eq "$(status_field CapEff)" 0000000000000000 CapEff
}

@test "process: an unknown capability is a warning, not an error" {
	# config.md: "MUST be logged as a warning ... SHOULD NOT fail"
	cfg '.process.capabilities.bounding += ["CAP_BOGUS"]'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_contains "$stderr" CAP_BOGUS
	assert_eq "$(status_field CapBnd)" 0000000020000420 CapBnd
}

@test "process: noNewPrivileges" {
	cfg '.process.noNewPrivileges = true'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_eq "$(status_field NoNewPrivs)" 1 "NoNewPrivs with true"
	cfg '.process.noNewPrivileges = false'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_eq "$(status_field NoNewPrivs)" 0 "NoNewPrivs with false"
}

@test "process: hostname" {
	cfg '.hostname = "h1"'
	ct_sh 'hostname; cat /proc/sys/kernel/hostname'
	assert_status 0
	assert_eq "$(echo $output)" "h1 h1"
}

@test "process: domainname" {
	skip_if_runc "runc 1.1.5 ignores domainname"
	cfg '.hostname = "h1" | .domainname = "example.org"'
	ct_sh 'cat /proc/sys/kernel/domainname'
	assert_status 0
	assert_eq "$output" example.org domainname
}

@test "process: sysctl is set in the container's namespaces only" {
	local host_msgmax host_fwd
	host_msgmax=$(cat /proc/sys/kernel/msgmax)
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	local want_msgmax=$((host_msgmax == 4096 ? 4097 : 4096))
	local want_fwd=$((1 - host_fwd))
	cfg --arg m "$want_msgmax" --arg f "$want_fwd" '.linux.sysctl = {"kernel.msgmax": $m, "net.ipv4.ip_forward": $f}'
	ct_sh 'cat /proc/sys/kernel/msgmax /proc/sys/net/ipv4/ip_forward'
	assert_status 0
	assert_eq "${lines[0]}" "$want_msgmax" "kernel.msgmax"
	assert_eq "${lines[1]}" "$want_fwd" "net.ipv4.ip_forward"
	assert_eq "$(cat /proc/sys/kernel/msgmax)" "$host_msgmax" "host kernel.msgmax"
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "host ip_forward"
}

@test "process: sysctl of a namespace the container does not own fails" {
	# net.* without a network namespace would change the host
	cfg '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	run hull_detached create "$CT"
	assert_failed
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$before" "host ip_forward"
	assert_no_leftovers "$CT"
}

@test "process: personality LINUX32 shows a 32-bit machine" {
	skip_if_runc "runc 1.1.5 ignores linux.personality"
	[ "$(uname -m)" = x86_64 ] || skip "needs x86_64"
	cfg '.linux.personality = {"domain": "LINUX32"}'
	ct_sh 'uname -m'
	assert_status 0
	assert_eq "$output" i686 "uname -m"
}

@test "process: personality LINUX keeps the machine" {
	cfg '.linux.personality = {"domain": "LINUX"}'
	ct_sh 'uname -m'
	assert_status 0
	assert_eq "$output" "$(uname -m)" "uname -m"
}

@test "process: ioPriority" {
	skip_if_runc "runc 1.1.5 has no process.ioPriority"
	cfg '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	ct_sh 'ionice -p $$'
	assert_status 0
	assert_eq "$output" "best-effort: prio 6" ioprio
	cfg '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
	ct_sh 'ionice -p $$'
	assert_status 0
	assert_eq "$output" "idle" ioprio
}

# /proc/self/stat fields: 19 nice, 40 rt_priority, 41 policy
@test "process: scheduler policy and nice" {
	skip_if_runc "runc 1.1.5 has no process.scheduler"
	cfg '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
	ct_sh 'cut -d" " -f19,41 /proc/self/stat'
	assert_status 0
	assert_eq "$output" "5 3" "nice and policy (SCHED_BATCH = 3)"
	cfg '.process.scheduler = {"policy": "SCHED_IDLE"}'
	ct_sh 'cut -d" " -f41 /proc/self/stat'
	assert_status 0
	assert_eq "$output" 5 "policy (SCHED_IDLE = 5)"
}

@test "process: an unknown scheduler policy fails create" {
	skip_if_runc "runc 1.1.5 has no process.scheduler"
	cfg '.process.scheduler = {"policy": "SCHED_BOGUS"}'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" SCHED_BOGUS
	assert_no_leftovers "$CT"
}

@test "process: execCPUAffinity applies to exec, not to the init" {
	skip_if_runc "runc 1.1.5 has no execCPUAffinity"
	"$HULL" exec --help >/dev/null 2>&1 || skip "no exec command yet"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	cfg '.process.execCPUAffinity = {"final": "0"}'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	assert_eq "$(awk '/^Cpus_allowed_list/ { print $2 }' "/proc/$pid/status")" \
		"$(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)" "init's CPUs"
	run hull exec "$CT" sh -c 'grep Cpus_allowed_list /proc/self/status'
	assert_status 0
	assert_eq "$(echo ${output#*:})" 0 "exec's CPUs"
}

@test "process: terminal true without a console socket fails for detached containers" {
	cfg '.process.terminal = true'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" "console"
	assert_no_leftovers "$CT"
}
