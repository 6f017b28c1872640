#!/usr/bin/env bats
# security: process.capabilities and noNewPrivileges against setuid,
# linux.seccomp (actions, errnos, conditions, architectures, flags, when the
# filter is loaded, SCMP_ACT_NOTIFY with an agent), process.apparmorProfile,
# process.selinuxLabel, linux.mountLabel, the default maskedPaths and
# readonlyPaths, /sys read-only and which linux.sysctl keys are allowed.
# Each test checks what the container's process sees against the config.
# (process.bats has the basic capability, noNewPrivileges and sysctl tests.)

load helpers

HELPERS=$BATS_TEST_DIRNAME/../helpers

# status_field NAME: the value of NAME: in $output (a /proc/self/status)
status_field() {
	printf '%s\n' "${lines[@]}" | awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ +/, ""); print; exit }'
}

# ---- capabilities ----

# The numbers of linux/capability.h.
declare -gA CAPNUM=(
	[CAP_CHOWN]=0 [CAP_DAC_OVERRIDE]=1 [CAP_DAC_READ_SEARCH]=2 [CAP_FOWNER]=3
	[CAP_FSETID]=4 [CAP_KILL]=5 [CAP_SETGID]=6 [CAP_SETUID]=7 [CAP_SETPCAP]=8
	[CAP_LINUX_IMMUTABLE]=9 [CAP_NET_BIND_SERVICE]=10 [CAP_NET_BROADCAST]=11
	[CAP_NET_ADMIN]=12 [CAP_NET_RAW]=13 [CAP_IPC_LOCK]=14 [CAP_IPC_OWNER]=15
	[CAP_SYS_MODULE]=16 [CAP_SYS_RAWIO]=17 [CAP_SYS_CHROOT]=18 [CAP_SYS_PTRACE]=19
	[CAP_SYS_PACCT]=20 [CAP_SYS_ADMIN]=21 [CAP_SYS_BOOT]=22 [CAP_SYS_NICE]=23
	[CAP_SYS_RESOURCE]=24 [CAP_SYS_TIME]=25 [CAP_SYS_TTY_CONFIG]=26 [CAP_MKNOD]=27
	[CAP_LEASE]=28 [CAP_AUDIT_WRITE]=29 [CAP_AUDIT_CONTROL]=30 [CAP_SETFCAP]=31
	[CAP_MAC_OVERRIDE]=32 [CAP_MAC_ADMIN]=33 [CAP_SYSLOG]=34 [CAP_WAKE_ALARM]=35
	[CAP_BLOCK_SUSPEND]=36 [CAP_AUDIT_READ]=37 [CAP_PERFMON]=38 [CAP_BPF]=39
	[CAP_CHECKPOINT_RESTORE]=40
)

# capmask NAME...: the mask of the capabilities as /proc/PID/status prints
# it (16 hex digits); names the kernel does not have count for nothing.
capmask() {
	local m=0 n last
	last=$(cat /proc/sys/kernel/cap_last_cap)
	for n in "$@"; do
		[ -n "${CAPNUM[$n]:-}" ] && [ "${CAPNUM[$n]}" -le "$last" ] && m=$((m | (1 << CAPNUM[$n])))
	done
	printf '%016x\n' "$m"
}

# cfg_caps SET: the mask of process.capabilities.SET in config.json
cfg_caps() {
	# shellcheck disable=SC2046
	capmask $(jq -r --arg s "$1" '.process.capabilities[$s] // [] | .[]' "$BUNDLE/config.json")
}

hexand() { printf '%016x\n' $((0x$1 & 0x$2)); }
hexor() { printf '%016x\n' $((0x$1 | 0x$2)); }

# assert_caps_from_config: the five sets in $output (/proc/self/status of
# the container's process, which execve'd a file without file
# capabilities) are what the config asks for, after the kernel's execve
# rules (capabilities(7)):
#   ambient: configured ambient that is also permitted and inheritable
#   uid 0: permitted = effective = bounding | inheritable, and with
#          noNewPrivileges no more than the configured permitted set
#   other uids: permitted = effective = ambient
assert_caps_from_config() {
	local uid bnd prm inh amb want
	uid=$(jq -r '.process.user.uid // 0' "$BUNDLE/config.json")
	bnd=$(cfg_caps bounding)
	prm=$(cfg_caps permitted)
	inh=$(cfg_caps inheritable)
	amb=$(hexand "$(hexand "$(cfg_caps ambient)" "$prm")" "$inh")
	if [ "$uid" = 0 ]; then
		want=$(hexor "$(hexor "$bnd" "$inh")" "$amb")
		if [ "$(jq -r '.process.noNewPrivileges // false' "$BUNDLE/config.json")" = true ]; then
			want=$(hexand "$want" "$prm")
		fi
	else
		want=$amb
	fi
	assert_eq "$(status_field CapBnd)" "$bnd" CapBnd &&
		assert_eq "$(status_field CapInh)" "$inh" CapInh &&
		assert_eq "$(status_field CapAmb)" "$amb" CapAmb &&
		assert_eq "$(status_field CapPrm)" "$want" CapPrm &&
		assert_eq "$(status_field CapEff)" "$want" CapEff
}

@test "capabilities: the default spec's five sets" {
	# (their masks computed from the names, no hex in the test)
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapBnd)" "$(capmask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)" "default CapBnd"
	assert_eq "$(status_field NoNewPrivs)" 1 NoNewPrivs
	assert_eq "$(status_field Uid | awk '{ print $1 $2 $3 $4 }')" 0000 Uid
}

@test "capabilities: all sets empty leave root with no capability at all" {
	cfg '.process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []}'
	ct_sh 'cat /proc/self/status; touch /dev/shm/f; chown 1 /dev/shm/f 2>/dev/null && echo chowned; kill -0 1 && echo self'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapBnd)" 0000000000000000 CapBnd
	assert_eq "$(status_field CapEff)" 0000000000000000 CapEff
	assert_not_contains "$output" chowned
}

@test "capabilities: without process.capabilities every set is empty, for run and exec (as runc)" {
	# never the runtime's own capabilities by omission
	cfg 'del(.process.capabilities)'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	local set
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		assert_eq "$(status_field $set)" 0000000000000000 "$set"
	done
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" cat /proc/self/status
	assert_status 0
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		assert_eq "$(status_field $set)" 0000000000000000 "exec $set"
	done
}

@test "capabilities: root with a few: after execve permitted is bounding | inheritable, with noNewPrivileges only the configured" {
	cfg '.process.noNewPrivileges = false | .process.capabilities = {
		bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_NET_RAW"],
		effective: ["CAP_CHOWN", "CAP_KILL"], permitted: ["CAP_CHOWN", "CAP_KILL"],
		inheritable: ["CAP_NET_RAW"], ambient: []}'
	ct_sh 'cat /proc/self/status; touch /dev/shm/f; chown 1 /dev/shm/f && echo chowned'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapEff)" "$(capmask CAP_CHOWN CAP_KILL CAP_SETUID CAP_NET_RAW)" "CapEff without noNewPrivileges"
	assert_contains "$output" chowned
	cfg '.process.noNewPrivileges = true'
	ct_sh 'cat /proc/self/status; touch /dev/shm/f; chown 1 /dev/shm/f && echo chowned'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapEff)" "$(capmask CAP_CHOWN CAP_KILL)" "CapEff with noNewPrivileges"
	assert_eq "$(status_field CapInh)" "$(capmask CAP_NET_RAW)" CapInh
	assert_contains "$output" chowned
}

@test "capabilities: bounding smaller than permitted: root keeps only the bounding set" {
	cfg '.process.capabilities = {bounding: ["CAP_KILL"],
		effective: ["CAP_KILL", "CAP_CHOWN"], permitted: ["CAP_KILL", "CAP_CHOWN"]}'
	ct_sh 'cat /proc/self/status; touch /dev/shm/f; chown 1 /dev/shm/f 2>/dev/null && echo chowned; echo end'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapPrm)" "$(capmask CAP_KILL)" CapPrm
	assert_not_contains "$output" chowned
}

@test "capabilities: a non-root user keeps exactly the configured sets (set after setuid)" {
	# CAP_NET_RAW is ambient and inheritable but not permitted: it cannot be
	# ambient; CAP_SETUID is permitted but not ambient: gone after execve.
	cfg '.process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {
			bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETUID"],
			effective: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID"],
			permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID"],
			inheritable: ["CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"],
			ambient: ["CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"]}'
	ct_sh 'cat /proc/self/status; touch /dev/shm/f; chown 0:0 /dev/shm/f && stat -c owner=%u /dev/shm/f'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapAmb)" "$(capmask CAP_CHOWN CAP_NET_BIND_SERVICE)" CapAmb
	assert_eq "$(status_field CapEff)" "$(capmask CAP_CHOWN CAP_NET_BIND_SERVICE)" CapEff
	assert_eq "$(status_field Uid | awk '{ print $1, $2, $3, $4 }')" "1000 1000 1000 1000" Uid
	assert_eq "$(status_field Gid | awk '{ print $1, $2, $3, $4 }')" "1000 1000 1000 1000" Gid
	assert_eq "$(status_field NoNewPrivs)" 1 NoNewPrivs
	# CAP_CHOWN works for uid 1000
	assert_contains "$output" owner=0
}

@test "capabilities: a non-root user without ambient capabilities has none, with or without noNewPrivileges" {
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false
		| .process.capabilities = {bounding: ["CAP_CHOWN", "CAP_KILL"],
			effective: ["CAP_CHOWN", "CAP_KILL"], permitted: ["CAP_CHOWN", "CAP_KILL"]}'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapPrm)" 0000000000000000 CapPrm
	assert_eq "$(status_field NoNewPrivs)" 0 NoNewPrivs
	cfg '.process.noNewPrivileges = true'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field NoNewPrivs)" 1 NoNewPrivs
}

@test "capabilities: a capability the kernel lacks (CAP_FOO_NEW) is a warning in every set" {
	cfg '.process.capabilities |= with_entries(.value += ["CAP_FOO_NEW"])
		| .process.capabilities.inheritable = ["CAP_KILL", "CAP_FOO_NEW"]'
	ct_sh 'cat /proc/self/status'
	assert_status 0
	assert_contains "$stderr" CAP_FOO_NEW
	assert_caps_from_config
	assert_eq "$(status_field CapAmb)" "$(capmask CAP_KILL)" CapAmb
}

@test "capabilities: an exec'd process gets the container's sets and NoNewPrivs" {
	cfg '.process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"],
			permitted: ["CAP_KILL"], inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]}'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" cat /proc/self/status
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapEff)" "$(capmask CAP_KILL)" CapEff
	assert_eq "$(status_field NoNewPrivs)" 1 NoNewPrivs
	assert_eq "$(status_field Uid | awk '{ print $1 }')" 1000 Uid
}

@test "capabilities: exec --process without capabilities gets the container's; with them, its own" {
	cfg '.process.capabilities = {bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]}'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	jq '.process | del(.capabilities) | .args = ["cat", "/proc/self/status"]' config.json >"$T/p.json"
	run --separate-stderr hull exec --process "$T/p.json" "$CT"
	assert_status 0
	assert_caps_from_config
	assert_eq "$(status_field CapEff)" "$(capmask CAP_KILL)" CapEff
	jq '.process | .args = ["cat", "/proc/self/status"] | .capabilities = {bounding: ["CAP_KILL"]}' config.json >"$T/p.json"
	run --separate-stderr hull exec --process "$T/p.json" "$CT"
	assert_status 0
	assert_eq "$(status_field CapBnd)" "$(capmask CAP_KILL)" CapBnd
	assert_eq "$(status_field CapEff)" 0000000000000000 CapEff
}

# ---- seccomp ----

# seccomp_rules JSON-RULE...: linux.seccomp = default SCMP_ACT_ALLOW with the rules
seccomp_rules() {
	cfg --argjson r "$(jq -cs . <<<"$*")" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: $r}'
}

@test "seccomp: without linux.seccomp no filter; with one Seccomp is 2 with one filter" {
	ct_sh 'grep ^Seccomp /proc/self/status'
	assert_status 0
	assert_eq "$(status_field Seccomp)" 0 "Seccomp without a profile"
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}'
	ct_sh 'grep ^Seccomp /proc/self/status'
	assert_status 0
	assert_eq "$(status_field Seccomp)" 2 Seccomp
	assert_eq "$(status_field Seccomp_filters)" 1 Seccomp_filters
}

@test "seccomp: an exec'd process is under the same filter" {
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}'
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" sh -c 'grep ^Seccomp /proc/self/status; mkdir /dev/shm/d; echo "mkdir $?"'
	assert_status 0
	assert_eq "$(status_field Seccomp)" 2 Seccomp
	assert_eq "${lines[${#lines[@]} - 1]}" "mkdir 1"
	assert_contains "$stderr" "Function not implemented"
}

@test "seccomp: SCMP_ACT_ERRNO returns errnoRet (default EPERM)" {
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}' \
		'{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}' \
		'{"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}'
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"; chmod 700 /dev/shm; echo "chmod $?"; rmdir /dev/shm; echo "rmdir $?"; ls -d /dev/shm/d'
	assert_status 1
	assert_eq "${lines[0]}" "mkdir 1"
	assert_eq "${lines[1]}" "chmod 1"
	assert_eq "${lines[2]}" "rmdir 1"
	assert_contains "$stderr" "mkdir: can't create directory '/dev/shm/d': Operation not permitted"
	assert_contains "$stderr" "chmod: /dev/shm: Function not implemented"
	assert_contains "$stderr" "rmdir: '/dev/shm': Operation not permitted"
}

@test "seccomp: defaultAction SCMP_ACT_ERRNO returns defaultErrnoRet" {
	local h=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
	[ "$(uname -m)" = x86_64 ] && [ -r "$h" ] || skip "needs x86-64 and $h"
	# every syscall but mkdir allowed; mkdir gets the default action
	local names
	names=$(awk '$1 == "#define" && $2 ~ /^__NR_/ { n = substr($2, 6); if (n != "mkdir") print n }' "$h" | jq -R . | jq -cs .)
	cfg --argjson n "$names" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 13,
		syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}'
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"; echo ok >/dev/shm/f && cat /dev/shm/f'
	assert_status 0
	assert_eq "${lines[0]}" "mkdir 1"
	assert_eq "${lines[1]}" ok
	assert_contains "$stderr" "mkdir: can't create directory '/dev/shm/d': Permission denied"
}

@test "seccomp: an allow-list older than close_range, execveat, clone3 and openat2 still starts run and exec" {
	local h=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
	[ "$(uname -m)" = x86_64 ] && [ -r "$h" ] || skip "needs x86-64 and $h"
	# the runtime's own last syscalls before execve must not need them
	local names
	names=$(awk '$1 == "#define" && $2 ~ /^__NR_/ { n = substr($2, 6)
		if (n !~ /^(close_range|execveat|clone3|openat2|faccessat2|pidfd_open|pidfd_send_signal)$/) print n }' "$h" | jq -R . | jq -cs .)
	cfg --argjson n "$names" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
		syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}'
	set_args /bin/busybox echo started
	ct_run
	assert_status 0
	assert_eq "$output" started
	cfg '.process.noNewPrivileges = false'
	ct_run
	assert_status 0
	assert_eq "$output" started
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" /bin/busybox echo exec-started
	assert_status 0
	assert_eq "$output" exec-started
}

@test "seccomp: SCMP_ACT_KILL, KILL_THREAD, KILL_PROCESS and TRAP end the process with SIGSYS (exit 159)" {
	local a
	for a in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP; do
		seccomp_rules "{\"names\": [\"mkdir\"], \"action\": \"$a\"}"
		set_args mkdir /dev/shm/d
		ct_run
		assert_eq "$status" 159 "exit status with $a"
		[ ! -e "$BUNDLE/rootfs/dev/shm/d" ]
		hull delete -f "$CT" >/dev/null 2>&1 || true
	done
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails with ENOSYS; SCMP_ACT_LOG allows" {
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_TRACE"}' '{"names": ["chmod"], "action": "SCMP_ACT_LOG"}'
	# the kernel logs SECCOMP_RET_LOG (0x7ffc0000) as an audit record
	local logged=-1
	grep -qw log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null && logged=$(dmesg 2>/dev/null | grep -c 'syscall=90 .*code=0x7ffc0000')
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"; touch /dev/shm/f; chmod 604 /dev/shm/f; echo "chmod $?"; stat -c %a /dev/shm/f'
	assert_status 0
	assert_eq "${lines[*]}" "mkdir 1 chmod 0 604"
	if [ "$logged" -ge 0 ]; then
		[ "$(dmesg | grep -c 'syscall=90 .*code=0x7ffc0000')" -gt "$logged" ] || {
			echo "# no audit record of the logged chmod in dmesg" >&2
			return 1
		}
	fi
	assert_contains "$stderr" "mkdir: can't create directory '/dev/shm/d': Function not implemented"
}

@test "seccomp: argument conditions: SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, two on one argument" {
	# personality(PER_LINUX32 = 8) is refused, personality(0xffffffff) (a
	# query) is not; chmod with any mode of the form ?7 for others is refused;
	# rmdir: two conditions on one argument match either (they are OR'ed)
	seccomp_rules '{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
			"args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}' \
		'{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
			"args": [{"index": 1, "value": 7, "valueTwo": 7, "op": "SCMP_CMP_MASKED_EQ"}]}' \
		'{"names": ["ftruncate"], "action": "SCMP_ACT_ERRNO",
			"args": [{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 20, "op": "SCMP_CMP_EQ"}]}'
	ct_sh 'linux32 true; echo "linux32 $?"; touch /dev/shm/f
		for m in 755 777 707 600; do chmod $m /dev/shm/f; echo "chmod $m $?"; done
		for n in 10 20 30; do truncate -s $n /dev/shm/f; echo "truncate $n $?"; done'
	assert_status 0
	assert_eq "${lines[*]}" "linux32 1 chmod 755 0 chmod 777 1 chmod 707 1 chmod 600 0 truncate 10 1 truncate 20 1 truncate 30 0"
	assert_contains "$stderr" "Operation not permitted"
	assert_contains "$stderr" "Function not implemented"
}

@test "seccomp: a syscall name the library does not know is skipped" {
	seccomp_rules '{"names": ["hull_no_such_syscall", "mkdir"], "action": "SCMP_ACT_ERRNO"}'
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"'
	assert_status 0
	assert_eq "$output" "mkdir 1"
}

@test "seccomp: architectures: the native one and its companions; an unknown one fails create" {
	[ "$(uname -m)" = x86_64 ] || skip "x86-64 only"
	cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}'
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"'
	assert_status 0
	assert_eq "$output" "mkdir 1"
	cfg '.linux.seccomp.architectures += ["SCMP_ARCH_NOPE"]'
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" SCMP_ARCH_NOPE
	assert_no_leftovers "$CT"
}

@test "seccomp: flags LOG, SPEC_ALLOW and TSYNC are accepted" {
	skip_if_runc "runc 1.1.5: seccomp flags are not yet supported"
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}'
	cfg '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"]'
	ct_sh 'mkdir /dev/shm/d; echo "mkdir $?"; grep ^Seccomp: /proc/self/status'
	assert_status 0
	assert_eq "${lines[0]}" "mkdir 1"
	assert_eq "$(status_field Seccomp)" 2 Seccomp
}

@test "seccomp: an unknown flag fails create" {
	seccomp_rules '{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}'
	cfg '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_NOPE"]'
	run hull_detached create "$CT"
	assert_failed
	is_runc || assert_contains "$output" SECCOMP_FILTER_FLAG_NOPE
	assert_no_leftovers "$CT"
}

@test "seccomp: without noNewPrivileges the filter is loaded before setuid and can stop it" {
	# as runc: loading a filter without no_new_privs needs CAP_SYS_ADMIN,
	# so it comes before the change to process.user - whose syscalls it sees
	seccomp_rules '{"names": ["setuid", "setresuid", "setgid", "setresgid", "setgroups"], "action": "SCMP_ACT_ERRNO"}'
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false'
	run hull_detached run "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}

@test "seccomp: with noNewPrivileges the filter is loaded after setuid and capset" {
	seccomp_rules '{"names": ["setuid", "setresuid", "setgid", "setresgid", "setgroups", "capset"], "action": "SCMP_ACT_ERRNO"}'
	cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = true'
	ct_sh 'id -u; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; su -c true nobody 2>/dev/null || echo "no setuid"'
	assert_status 0
	assert_eq "${lines[0]}" 1000 uid
	assert_eq "$(status_field Seccomp)" 2 Seccomp
	assert_eq "$(status_field NoNewPrivs)" 1 NoNewPrivs
}

# ---- seccomp notify ----

# start_agent MODE: the agent (tests/helpers/seccomp-agent.c) on $SOCK,
# logging to $ALOG; linux.seccomp notifies on mkdir, with metadata.
start_agent() {
	command -v cc >/dev/null || skip "no C compiler for tests/helpers/seccomp-agent.c"
	local bin=$BATS_RUN_TMPDIR/seccomp-agent
	if [ ! -x "$bin" ]; then
		cc -O2 -o "$bin.$$" "$HELPERS/seccomp-agent.c" || return 1
		mv "$bin.$$" "$bin"
	fi
	SOCK=$T/agent.sock ALOG=$T/agent.log
	"$bin" "$SOCK" "$ALOG" "$1" </dev/null >/dev/null 2>&1 &
	AGENT_PID=$!
	wait_file "$ALOG" || return 1
	cfg --arg s "$SOCK" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $s,
		listenerMetadata: "meta-for-the-agent",
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}'
}

teardown_more() {
	[ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null
	[ -n "${BG_PID:-}" ] && kill "$BG_PID" 2>/dev/null
	return 0
}

# agent_state: the JSON the agent received (the first one)
agent_state() { sed -n 's/^state //p' "$ALOG" | head -n 1; }

@test "seccomp notify: run: the agent gets the process state and the fd, and answers mkdir" {
	start_agent errno:28
	ct_sh 'mkdir /dev/shm/agent-dir; echo "mkdir $?"; [ -d /dev/shm/agent-dir ] || echo absent'
	assert_status 0
	assert_eq "${lines[*]}" "mkdir 1 absent"
	assert_contains "$stderr" "No space left on device"
	local st
	st=$(agent_state)
	assert_eq "$(jq -r .metadata <<<"$st")" meta-for-the-agent metadata
	assert_eq "$(jq -c .fds <<<"$st")" '["seccompFd"]' fds
	assert_eq "$(grep -c '^fds 1$' "$ALOG")" 1 "one fd received"
	assert_eq "$(jq -r .state.id <<<"$st")" "$CT" state.id
	assert_eq "$(jq -r .state.bundle <<<"$st")" "$BUNDLE" state.bundle
	assert_eq "$(jq -r .ociVersion <<<"$st" | cut -c1)" 1 ociVersion
	[ "$(jq -r .pid <<<"$st")" -gt 1 ]
	assert_eq "$(jq -r .state.pid <<<"$st")" "$(jq -r .pid <<<"$st")" state.pid
	# the agent saw the syscall and its argument
	grep -q "^notif 83 [0-9]* /dev/shm/agent-dir$" "$ALOG" || {
		cat "$ALOG" >&2
		return 1
	}
}

@test "seccomp notify: create and start: the agent gets the fd at create and makes mkdir succeed without doing it" {
	# with and without noNewPrivileges (the filter is loaded before or after
	# setuid), the listener fd goes out during create, as in runc: after
	# create nobody could pass it on
	start_agent fake
	share
	set_args sh -c 'mkdir /dev/shm/agent-dir; echo "mkdir $?" >/shared/out; [ -d /dev/shm/agent-dir ] || echo absent >>/shared/out'
	local nnp st pid
	for nnp in false true; do
		cfg --argjson n $nnp '.process.noNewPrivileges = $n'
		: >"$ALOG"
		rm -f "$SHARED/out"
		run hull_detached create "$CT"
		assert_status 0
		st=$(agent_state)
		pid=$(hull state "$CT" | jq -r .pid)
		assert_eq "$(jq -r .pid <<<"$st")" "$pid" "pid sent at create (noNewPrivileges $nnp)"
		assert_eq "$(jq -r .state.status <<<"$st")" creating state.status
		assert_eq "$(jq -r .metadata <<<"$st")" meta-for-the-agent metadata
		run hull start "$CT"
		assert_status 0
		wait_file "$SHARED/out"
		wait_status "$CT" stopped
		assert_eq "$(cat "$SHARED/out")" "mkdir 0
absent" "what the container saw (noNewPrivileges $nnp)"
		grep -q "^notif 83 [0-9]* /dev/shm/agent-dir$" "$ALOG" || {
			cat "$ALOG" >&2
			return 1
		}
		run hull delete "$CT"
		assert_status 0
	done
}

@test "seccomp notify: an exec'd process hands its own listener fd to the agent" {
	start_agent errno:28
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	run --separate-stderr hull exec "$CT" sh -c 'mkdir /dev/shm/exec-dir; echo "mkdir $?"'
	assert_status 0
	assert_eq "$output" "mkdir 1"
	assert_contains "$stderr" "No space left on device"
	assert_eq "$(grep -c '^state ' "$ALOG")" 2 "connections to the agent"
	assert_eq "$(grep -c '^fds 1$' "$ALOG")" 2 "fds received"
	local st
	st=$(sed -n 's/^state //p' "$ALOG" | tail -n 1)
	assert_eq "$(jq -r .metadata <<<"$st")" meta-for-the-agent metadata
	assert_eq "$(jq -r .state.id <<<"$st")" "$CT" state.id
	grep -q "^notif 83 [0-9]* /dev/shm/exec-dir$" "$ALOG" || {
		cat "$ALOG" >&2
		return 1
	}
}

# ---- AppArmor, SELinux ----

apparmor_on() { [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; }
selinux_on() { [ -e /sys/fs/selinux/enforce ]; }

@test "lsm: process.apparmorProfile on a host without AppArmor fails create, as runc; empty is none" {
	apparmor_on && skip "AppArmor is enabled here"
	cfg '.process.apparmorProfile = ""'
	ct_sh 'true'
	assert_status 0
	cfg '.process.apparmorProfile = "hull-test-profile"'
	run --separate-stderr hull_detached create "$CT"
	assert_failed
	assert_hull_error_line "$output"
	is_runc || assert_contains "$output" process.apparmorProfile
	assert_no_leftovers "$CT"
}

@test "lsm: process.selinuxLabel on a host without SELinux fails create, as runc" {
	selinux_on && skip "SELinux is enabled here"
	cfg '.process.selinuxLabel = "system_u:system_r:svirt_lxc_net_t:s0:c124,c675"'
	run --separate-stderr hull_detached create "$CT"
	assert_failed
	assert_hull_error_line "$output"
	is_runc || assert_contains "$output" process.selinuxLabel
	assert_no_leftovers "$CT"
}

@test "lsm: linux.mountLabel on a host without SELinux is ignored" {
	skip_if_runc "runc 1.1.5 passes context= to every mount and fails with EINVAL"
	selinux_on && skip "SELinux is enabled here"
	cfg '.linux.mountLabel = "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811"'
	ct_sh 'grep -c context= /proc/self/mountinfo'
	assert_eq "$output" 0
}

# ---- maskedPaths, readonlyPaths, /sys ----

# mountopts MP: the mount options of the topmost mount at MP in $output
# (a mountinfo)
mountopts() {
	printf '%s\n' "${lines[@]}" | awk -v mp="$1" '$5 == mp { r = $6 } END { print r }'
}

@test "masked: the default spec's maskedPaths are empty and cannot be written" {
	[ -n "$(ls -A /sys/firmware)" ] || skip "the host's /sys/firmware is empty"
	ct_sh 'for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats; do
			[ -e $p ] && echo "$p $(wc -c <$p)"; done
		for d in /sys/firmware /proc/acpi /proc/scsi /proc/asound; do [ -d $d ] && echo "$d $(ls -A $d | wc -l)"; done
		touch /sys/firmware/x 2>/dev/null && echo written; echo end'
	assert_status 0
	local l
	for l in "${lines[@]}"; do
		case $l in
		/proc/kcore* | /proc/keys* | /proc/timer_list* | /proc/sched_debug* | /proc/latency_stats* | /sys/firmware* | /proc/acpi* | /proc/scsi* | /proc/asound*)
			assert_eq "${l#* }" 0 "size of ${l%% *}"
			;;
		end) ;;
		*)
			echo "# unexpected: $l" >&2
			return 1
			;;
		esac
	done
	assert_contains "$output" "/sys/firmware 0"
	assert_not_contains "$output" written
}

@test "masked: /proc/sys and /proc/sysrq-trigger are read-only with the default spec" {
	# (only opened for writing, with O_TRUNC: nothing is ever written)
	local core
	core=$(cat /proc/sys/kernel/core_pattern)
	ct_sh 'cat /proc/self/mountinfo
		[ -e /proc/sysrq-trigger ] && true >/proc/sysrq-trigger 2>/dev/null && echo sysrq-writable
		true >/proc/sys/kernel/core_pattern 2>/dev/null && echo core_pattern-writable
		true >/proc/sys/kernel/modprobe 2>/dev/null && echo modprobe-writable
		true >/proc/sys/vm/drop_caches 2>/dev/null && echo drop_caches-writable
		for p in /proc/bus /proc/fs /proc/irq; do touch $p/x 2>/dev/null && echo "$p writable"; done; echo end'
	assert_status 0
	assert_not_contains "$output" writable
	assert_eq "${lines[${#lines[@]} - 1]}" end
	local mp
	for mp in /proc/sys /proc/sysrq-trigger /proc/bus /proc/fs /proc/irq; do
		[ -e $mp ] || continue # (a kernel without CONFIG_MAGIC_SYSRQ)
		[[ ",$(mountopts $mp)," == *,ro,* ]] || {
			echo "# $mp is not mounted ro: $(mountopts $mp)" >&2
			return 1
		}
	done
	assert_eq "$(cat /proc/sys/kernel/core_pattern)" "$core" "host core_pattern"
}

@test "masked: /sys is read-only, with and without a network namespace" {
	local ns
	for ns in with without; do
		[ $ns = without ] && cfg '.linux.namespaces |= map(select(.type != "network"))'
		ct_sh 'cat /proc/self/mountinfo; mkdir /sys/x 2>/dev/null && echo writable; true >/sys/kernel/uevent_helper 2>/dev/null && echo writable; echo end'
		assert_status 0
		assert_not_contains "$output" writable
		[[ ",$(mountopts /sys)," == *,ro,* ]] || {
			echo "# /sys ($ns netns) is not ro: $(mountopts /sys)" >&2
			return 1
		}
	done
}

# ---- linux.sysctl ----

@test "sysctl: a key that is not namespaced (kernel.core_pattern) fails create and is not set" {
	local core
	core=$(cat /proc/sys/kernel/core_pattern)
	cfg '.linux.sysctl = {"kernel.core_pattern": "|/dev/shm/hull-test-pwned"}'
	run --separate-stderr hull_detached create "$CT"
	assert_failed
	assert_contains "$output" kernel.core_pattern
	assert_eq "$(cat /proc/sys/kernel/core_pattern)" "$core" "host core_pattern"
	assert_no_leftovers "$CT"
}

@test "sysctl: kernel.shm* and fs.mqueue.* are set with an ipc namespace, refused without" {
	local host_shm host_mq want_shm want_mq
	host_shm=$(cat /proc/sys/kernel/shmmni)
	host_mq=$(cat /proc/sys/fs/mqueue/msg_max)
	want_shm=$((host_shm == 1000 ? 1001 : 1000))
	want_mq=$((host_mq == 20 ? 21 : 20))
	cfg --arg s "$want_shm" --arg m "$want_mq" '.linux.sysctl = {"kernel.shmmni": $s, "fs.mqueue.msg_max": $m}'
	ct_sh 'cat /proc/sys/kernel/shmmni /proc/sys/fs/mqueue/msg_max'
	assert_status 0
	assert_eq "${lines[*]}" "$want_shm $want_mq" "in the container"
	assert_eq "$(cat /proc/sys/kernel/shmmni) $(cat /proc/sys/fs/mqueue/msg_max)" "$host_shm $host_mq" "on the host"
	local k
	for k in kernel.shmmni fs.mqueue.msg_max; do
		cfg --arg k "$k" '.linux.namespaces |= map(select(.type != "ipc")) | .linux.sysctl = {($k): "30"}'
		run --separate-stderr hull_detached create "$CT"
		assert_failed
		assert_contains "$output" "$k"
		assert_no_leftovers "$CT"
		cfg '.linux.namespaces += [{type: "ipc"}]'
	done
	assert_eq "$(cat /proc/sys/kernel/shmmni) $(cat /proc/sys/fs/mqueue/msg_max)" "$host_shm $host_mq" "on the host"
}

@test "sysctl: a network or ipc namespace joined by path that is the host's refuses its sysctls" {
	# (the values asked for differ from the host's; the host must keep its own)
	sleep 60 &
	local sp=$! probes shmmni
	BG_PID=$sp
	probes=$(cat /proc/sys/net/ipv4/tcp_keepalive_probes)
	shmmni=$(cat /proc/sys/kernel/shmmni)
	cfg --arg v $((probes + 1)) --arg p "/proc/$sp/ns/net" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)
		| .linux.sysctl = {"net.ipv4.tcp_keepalive_probes": $v}'
	run --separate-stderr hull_detached create "$CT"
	assert_failed
	assert_contains "$output" net.ipv4.tcp_keepalive_probes
	assert_no_leftovers "$CT"
	assert_eq "$(cat /proc/sys/net/ipv4/tcp_keepalive_probes)" "$probes" "host net.ipv4.tcp_keepalive_probes"
	if ! is_runc; then # runc 1.1.5 checks only the network namespace
		cfg --arg v $((shmmni + 1)) --arg p "/proc/$sp/ns/ipc" '.linux.namespaces |= map(select(.type != "network")
			| if .type == "ipc" then .path = $p else . end) | .linux.sysctl = {"kernel.shmmni": $v}'
		run --separate-stderr hull_detached create "$CT"
		assert_failed
		assert_contains "$output" kernel.shmmni
		assert_no_leftovers "$CT"
		assert_eq "$(cat /proc/sys/kernel/shmmni)" "$shmmni" "host kernel.shmmni"
	fi
	kill "$sp"
}

@test "sysctl: kernel.domainname is allowed with a uts namespace; kernel.hostname conflicts with hostname" {
	cfg '.hostname = "h1" | .linux.sysctl = {"kernel.domainname": "sysctl.example"}'
	ct_sh 'cat /proc/sys/kernel/domainname'
	assert_status 0
	assert_eq "$output" sysctl.example domainname
	cfg '.linux.sysctl = {"kernel.hostname": "h2"}'
	run --separate-stderr hull_detached create "$CT"
	assert_failed
	assert_contains "$output" kernel.hostname
	assert_no_leftovers "$CT"
}
