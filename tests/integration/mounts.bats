#!/usr/bin/env bats
# mounts, root, /dev, linux.devices, maskedPaths, readonlyPaths, propagation.

load helpers

# mi MOUNTPOINT [MOUNTINFO]: "fstype|mount-options|super-options|optional-fields"
# of the topmost mount at MOUNTPOINT in MOUNTINFO (default: $output).
mi() {
	awk -v mp="$1" '$5 == mp {
		opt = ""
		for (i = 7; $i != "-"; i++) opt = opt $i " "
		r = $(i + 1) "|" $6 "|" $(i + 3) "|" opt
	} END { print r }' <<<"${2-$output}"
}

# has_opt LIST OPT: OPT is one of the comma-separated LIST
has_opt() {
	if [[ ",$1," != *",$2,"* ]]; then
		echo "# '$2' is not in '$1'" >&2
		return 1
	fi
}

# mount_is MOUNTPOINT FSTYPE MOUNT-OPTS SUPER-OPTS (each a comma list, may be empty)
mount_is() {
	local fs mo so pf o
	IFS='|' read -r fs mo so pf <<<"$(mi "$1")"
	if [ -z "$fs" ]; then
		echo "# nothing mounted at $1" >&2
		return 1
	fi
	assert_eq "$fs" "$2" "fstype of $1"
	for o in ${3//,/ }; do has_opt "$mo" "$o" || return 1; done
	for o in ${4//,/ }; do has_opt "$so" "$o" || return 1; done
}

add_mount() { # JSON
	cfg --argjson m "$1" '.mounts += [$m]'
}

@test "mounts: the default mounts have the spec's types and options" {
	ct_sh 'cat /proc/self/mountinfo'
	assert_status 0
	mount_is / "$(mi / | cut -d'|' -f1)" ro ""
	mount_is /proc proc "" ""
	mount_is /dev tmpfs nosuid mode=755,size=65536k
	mount_is /dev/pts devpts nosuid,noexec mode=620,ptmxmode=666,gid=5
	mount_is /dev/shm tmpfs nosuid,nodev,noexec size=65536k
	mount_is /dev/mqueue mqueue nosuid,nodev,noexec ""
	mount_is /sys sysfs ro,nosuid,nodev,noexec ""
}

@test "mounts: cgroup hierarchies under /sys/fs/cgroup are read-only" {
	ct_sh 'cat /proc/self/mountinfo'
	assert_status 0
	local n
	n=$(awk '$5 ~ "^/sys/fs/cgroup" { for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) { c++; if ($6 !~ /(^|,)ro(,|$)/) bad++ } } END { print c+0, bad+0 }' <<<"$output")
	[ "${n% *}" -gt 0 ] || {
		echo "# no cgroup mounts: $output" >&2
		return 1
	}
	assert_eq "${n#* }" 0 "cgroup mounts that are not ro"
}

@test "mounts: root.readonly: writing to / fails with EROFS" {
	ct_sh 'touch /x 2>&1; echo rc=$?'
	assert_status 0
	assert_contains "$output" "Read-only file system"
	assert_contains "$output" "rc=1"
	[ ! -e "$BUNDLE/rootfs/x" ]
}

@test "mounts: root.readonly false: / is writable" {
	cfg '.root.readonly = false'
	ct_sh 'touch /written && echo ok'
	assert_status 0
	assert_eq "$output" ok
	[ -e "$BUNDLE/rootfs/written" ]
}

@test "mounts: /dev has the standard character devices with mode 666" {
	ct_sh 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done'
	assert_status 0
	assert_eq "${lines[0]}" "/dev/null character special file 1:3 666"
	assert_eq "${lines[1]}" "/dev/zero character special file 1:5 666"
	assert_eq "${lines[2]}" "/dev/full character special file 1:7 666"
	assert_eq "${lines[3]}" "/dev/random character special file 1:8 666"
	assert_eq "${lines[4]}" "/dev/urandom character special file 1:9 666"
	assert_eq "${lines[5]}" "/dev/tty character special file 5:0 666"
}

@test "mounts: the standard devices work" {
	ct_sh 'echo x >/dev/null && echo null-ok; head -c 5 /dev/zero | wc -c; head -c 5 /dev/urandom | wc -c; echo x 2>/dev/null >/dev/full || echo full-fails'
	assert_status 0
	assert_eq "$(echo $output)" "null-ok 5 5 full-fails"
}

@test "mounts: /dev/ptmx, /dev/fd and the stdio links" {
	ct_sh 'stat -L -c "%F %t:%T" /dev/ptmx; readlink /dev/fd; readlink /dev/stdin; readlink /dev/stdout; readlink /dev/stderr; readlink /dev/ptmx || grep -c " /dev/ptmx " /proc/self/mountinfo'
	assert_status 0
	assert_eq "${lines[0]}" "character special file 5:2" "/dev/ptmx"
	assert_eq "${lines[1]}" /proc/self/fd "/dev/fd"
	assert_eq "${lines[2]}" /proc/self/fd/0 "/dev/stdin"
	assert_eq "${lines[3]}" /proc/self/fd/1 "/dev/stdout"
	assert_eq "${lines[4]}" /proc/self/fd/2 "/dev/stderr"
	# a symlink to pts/ptmx, or a bind mount of it
	[[ "${lines[5]}" == pts/ptmx || "${lines[5]}" == /dev/pts/ptmx || "${lines[5]}" == 1 ]]
}

@test "mounts: /dev holds no host devices" {
	ct_sh 'ls /dev'
	assert_status 0
	local d
	for d in $output; do
		case $d in
		fd | full | mqueue | null | ptmx | pts | random | shm | stderr | stdin | stdout | tty | urandom | zero | core | console) ;;
		*)
			echo "# unexpected /dev/$d" >&2
			return 1
			;;
		esac
	done
}

@test "mounts: linux.devices creates nodes with type, numbers, mode and owner" {
	cfg '.linux.devices = [
		{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 416, "uid": 1000, "gid": 1000},
		{"path": "/dev/xblk", "type": "b", "major": 7, "minor": 0, "fileMode": 432},
		{"path": "/dev/sub/dir/node", "type": "c", "major": 1, "minor": 3},
		{"path": "/dev/xfifo", "type": "p"}]'
	ct_sh 'stat -c "%n|%F|%t:%T|%a|%u:%g" /dev/fuse /dev/xblk /dev/sub/dir/node /dev/xfifo'
	assert_status 0
	assert_eq "${lines[0]}" "/dev/fuse|character special file|a:e5|640|1000:1000"
	assert_eq "${lines[1]}" "/dev/xblk|block special file|7:0|660|0:0"
	[[ "${lines[2]}" == "/dev/sub/dir/node|character special file|1:3|"* ]]
	[[ "${lines[3]}" == "/dev/xfifo|fifo|"* ]]
}

@test "mounts: bind mount rw: the container writes to the host directory" {
	mkdir "$T/data"
	echo from-host >"$T/data/hostfile"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$T/data\", \"options\": [\"bind\", \"rw\"]}"
	ct_sh 'cat /data/hostfile; echo from-container >/data/new; grep " /data " /proc/self/mountinfo'
	assert_status 0
	assert_eq "${lines[0]}" from-host
	assert_eq "$(cat "$T/data/new")" from-container
	IFS='|' read -r fs mo so pf <<<"$(mi /data "${lines[1]}")"
	has_opt "$mo" rw
}

@test "mounts: bind mount ro: writes fail" {
	mkdir "$T/data"
	add_mount "{\"destination\": \"/data\", \"type\": \"none\", \"source\": \"$T/data\", \"options\": [\"bind\", \"ro\"]}"
	ct_sh 'touch /data/new 2>&1; grep " /data " /proc/self/mountinfo'
	assert_status 0
	assert_contains "$output" "Read-only file system"
	[ ! -e "$T/data/new" ]
	IFS='|' read -r fs mo so pf <<<"$(mi /data "${lines[1]}")"
	has_opt "$mo" ro
}

@test "mounts: rbind carries submounts, bind does not" {
	mkdir -p "$T/tree/sub"
	mount -t tmpfs -o size=1m hull-it "$T/tree/sub"
	echo marker >"$T/tree/sub/marker"
	add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$T/tree\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$T/tree\", \"options\": [\"bind\"]}"
	ct_sh 'cat /r/sub/marker; ls -A /b/sub | wc -l'
	assert_status 0
	assert_eq "${lines[0]}" marker "rbind"
	assert_eq "${lines[1]}" 0 "entries in the plain bind's sub"
}

@test "mounts: rro makes submounts read-only too" {
	mkdir -p "$T/tree/sub"
	mount -t tmpfs -o size=1m hull-it "$T/tree/sub"
	add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$T/tree\", \"options\": [\"rbind\", \"rro\"]}"
	ct_sh 'touch /r/a 2>/dev/null && echo top-writable; touch /r/sub/a 2>/dev/null && echo sub-writable; echo done'
	assert_status 0
	assert_eq "$output" done
}

@test "mounts: bind mount of a single file" {
	echo content >"$T/file"
	add_mount "{\"destination\": \"/etc/mounted-file\", \"type\": \"bind\", \"source\": \"$T/file\", \"options\": [\"bind\", \"ro\"]}"
	ct_sh 'cat /etc/mounted-file; [ -f /etc/mounted-file ] && echo is-file'
	assert_status 0
	assert_eq "$(echo $output)" "content is-file"
}

@test "mounts: missing destinations are created, nested" {
	add_mount '{"destination": "/a/b/c", "type": "tmpfs", "source": "tmpfs"}'
	ct_sh 'grep -c " /a/b/c " /proc/self/mountinfo'
	assert_status 0
	assert_eq "$output" 1
}

@test "mounts: tmpfs with size, mode and flags" {
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec", "size=1m", "mode=700"]}'
	ct_sh 'cat /proc/self/mountinfo; stat -c %a /scratch'
	assert_status 0
	mount_is /scratch tmpfs nosuid,nodev,noexec size=1024k,mode=700
	assert_eq "${lines[${#lines[@]} - 1]}" 700 "mode of /scratch"
}

@test "mounts: a later mount covers an earlier one" {
	add_mount '{"destination": "/m", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	add_mount '{"destination": "/m", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]}'
	ct_sh 'cat /proc/self/mountinfo'
	assert_status 0
	mount_is /m tmpfs "" size=2048k
}

@test "mounts: bind propagation rslave, rshared, rprivate" {
	mkdir -p "$T/prop/sub"
	mount --bind "$T/prop" "$T/prop"
	mount --make-rshared "$T/prop"
	add_mount "{\"destination\": \"/pslave\", \"type\": \"bind\", \"source\": \"$T/prop\", \"options\": [\"rbind\", \"rslave\"]}"
	add_mount "{\"destination\": \"/pshared\", \"type\": \"bind\", \"source\": \"$T/prop\", \"options\": [\"rbind\", \"rshared\"]}"
	add_mount "{\"destination\": \"/pprivate\", \"type\": \"bind\", \"source\": \"$T/prop\", \"options\": [\"rbind\", \"rprivate\"]}"
	set_args sleep 100
	run hull_detached run -d "$CT"
	assert_status 0
	local pid mi_c fs mo so pf
	pid=$(hull state "$CT" | jq -r .pid)
	# a mount made on the host after start propagates to slave and shared only
	mount -t tmpfs -o size=1m hull-it "$T/prop/sub"
	mi_c=$(cat "/proc/$pid/mountinfo")
	IFS='|' read -r fs mo so pf <<<"$(mi /pslave "$mi_c")"
	[[ "$pf" == *master:* && "$pf" != *shared:* ]]
	IFS='|' read -r fs mo so pf <<<"$(mi /pshared "$mi_c")"
	[[ "$pf" == *shared:* ]]
	IFS='|' read -r fs mo so pf <<<"$(mi /pprivate "$mi_c")"
	assert_eq "$pf" "" "optional fields of /pprivate"
	assert_eq "$(mi /pslave/sub "$mi_c" | cut -d'|' -f1)" tmpfs "propagated to the slave"
	assert_eq "$(mi /pshared/sub "$mi_c" | cut -d'|' -f1)" tmpfs "propagated to the shared"
	assert_eq "$(mi /pprivate/sub "$mi_c")" "" "propagated to the private"
}

# A bundle inside a shared mount, so that the host's mounts can propagate.
shared_bundle() {
	mkdir -p "$T/sh"
	new_bundle "$T/sh/b" "$CG_NAME-sh"
	mount --bind "$T/sh" "$T/sh"
	mount --make-rshared "$T/sh"
	BUNDLE=$T/sh/b
	cd "$BUNDLE"
	mkdir -p rootfs/mnt/late
	set_args sleep 100
}

# root_prop_check: start, mount on the host under the rootfs; print the
# optional fields of / in the container and whether the new mount arrived
root_prop_check() {
	run hull_detached run -d "$CT"
	assert_status 0
	local pid
	pid=$(hull state "$CT" | jq -r .pid)
	mount -t tmpfs -o size=1m hull-it "$BUNDLE/rootfs/mnt/late"
	ROOT_PF=$(mi / "$(cat "/proc/$pid/mountinfo")" | cut -d'|' -f4)
	LATE=$(mi /mnt/late "$(cat "/proc/$pid/mountinfo")" | cut -d'|' -f1)
}

@test "mounts: rootfsPropagation unset: the rootfs is a slave of the host" {
	shared_bundle
	root_prop_check
	[[ "$ROOT_PF" == *master:* && "$ROOT_PF" != *shared:* ]]
	assert_eq "$LATE" tmpfs "host mount seen in the container"
}

@test "mounts: rootfsPropagation private: host mounts do not propagate" {
	shared_bundle
	cfg '.linux.rootfsPropagation = "private"'
	root_prop_check
	assert_eq "$ROOT_PF" "" "optional fields of /"
	assert_eq "$LATE" "" "host mount seen in the container"
}

@test "mounts: rootfsPropagation slave: host mounts propagate in" {
	skip_if_runc "runc 1.1.5 leaves / private with rootfsPropagation=slave"
	shared_bundle
	cfg '.linux.rootfsPropagation = "slave"'
	root_prop_check
	[[ "$ROOT_PF" == *master:* && "$ROOT_PF" != *shared:* ]]
	assert_eq "$LATE" tmpfs "host mount seen in the container"
}

@test "mounts: rootfsPropagation shared: the rootfs is in a peer group" {
	skip_if_runc "runc 1.1.5 leaves / private with rootfsPropagation=shared"
	shared_bundle
	cfg '.linux.rootfsPropagation = "shared"'
	root_prop_check
	[[ "$ROOT_PF" == *shared:* ]]
}

@test "mounts: rootfsPropagation unbindable" {
	skip_if_runc "runc 1.1.5 leaves / private with rootfsPropagation=unbindable"
	shared_bundle
	cfg '.linux.rootfsPropagation = "unbindable"'
	root_prop_check
	[[ "$ROOT_PF" == *unbindable* ]]
	assert_eq "$LATE" "" "host mount seen in the container"
}

@test "mounts: maskedPaths hide files and directories" {
	mkdir -p "$BUNDLE/rootfs/secretdir"
	echo hidden >"$BUNDLE/rootfs/secretdir/data"
	echo hidden >"$BUNDLE/rootfs/secretfile"
	cfg '.linux.maskedPaths += ["/secretdir", "/secretfile", "/does/not/exist"]'
	ct_sh 'wc -c </secretfile; ls -A /secretdir | wc -l; wc -c </proc/keys; [ -e /proc/acpi ] && ls -A /proc/acpi | wc -l || echo 0; [ -e /proc/kcore ] && wc -c </proc/kcore || echo 0'
	assert_status 0
	assert_eq "$(echo $output)" "0 0 0 0 0" "sizes of masked paths"
}

@test "mounts: maskedPaths cannot be written" {
	# (a masked file may be /dev/null, where writes vanish)
	ct_sh 'mkdir /proc/acpi/x 2>/dev/null && echo made; touch /proc/acpi/y 2>/dev/null && echo touched; echo done'
	assert_status 0
	assert_eq "$output" done
}

@test "mounts: readonlyPaths are read-only" {
	mkdir "$T/data"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$T/data\", \"options\": [\"rbind\", \"rw\"]}"
	cfg '.linux.readonlyPaths += ["/data"]'
	ct_sh 'cat /proc/self/mountinfo; echo 1 >/proc/sys/net/ipv4/ip_forward 2>/dev/null && echo sysctl-written; touch /data/x 2>/dev/null && echo data-written; echo end'
	assert_status 0
	assert_eq "${lines[${#lines[@]} - 1]}" end
	assert_not_contains "$output" written
	mount_is /proc/sys proc ro ""
	mount_is /data "$(mi /data | cut -d'|' -f1)" ro ""
	[ ! -e "$T/data/x" ]
}

@test "mounts: --no-pivot runs the container" {
	set_args sh -c 'ls /bin/busybox && grep -c " / " /proc/self/mountinfo'
	ct_run --no-pivot
	assert_status 0
	assert_eq "${lines[0]}" /bin/busybox
}

@test "mounts: a destination through a symlink stays inside the rootfs" {
	mkdir "$T/outside"
	ln -s "$T/outside" "$BUNDLE/rootfs/link"
	add_mount '{"destination": "/link/newdir", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}'
	set_args true
	run hull run "$CT" </dev/null
	# it may fail or succeed, but the host directory must be untouched
	[ ! -e "$T/outside/newdir" ]
	run grep -c "$T/outside" /proc/self/mountinfo
	assert_eq "$output" 0
}

@test "mounts: a bind mount of a missing source fails create and leaves nothing" {
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$T/no-such-dir\", \"options\": [\"bind\"]}"
	run hull_detached create "$CT"
	assert_failed
	assert_contains "$output" "$T/no-such-dir"
	assert_no_leftovers "$CT"
}

@test "mounts: idmap maps the owner of a bind mount's files" {
	skip_if_runc "runc 1.1.5 has no idmapped mounts"
	mkdir "$T/idsrc" "$BUNDLE/rootfs/mapped" "$BUNDLE/rootfs/plain"
	touch "$T/idsrc/root-owned"
	cfg --arg s "$T/idsrc" '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts += [
			{"destination": "/mapped", "type": "bind", "source": $s, "options": ["rbind", "idmap"],
			 "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
			 "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]},
			{"destination": "/plain", "type": "bind", "source": $s, "options": ["rbind"]}]'
	ct_sh 'stat -c %u:%g /mapped/root-owned /plain/root-owned'
	assert_status 0
	assert_eq "${lines[0]}" 0:0 "owner through the idmapped mount"
	assert_eq "${lines[1]}" 65534:65534 "owner through the plain mount"
}

@test "mounts: idmap without a user namespace or mappings fails" {
	skip_if_runc "runc 1.1.5 has no idmapped mounts"
	mkdir "$T/idsrc"
	add_mount "{\"destination\": \"/mapped\", \"type\": \"bind\", \"source\": \"$T/idsrc\", \"options\": [\"rbind\", \"idmap\"]}"
	run hull_detached create "$CT"
	assert_failed
	assert_no_leftovers "$CT"
}
