#!/usr/bin/env bats
# hull explain: the plan of a create, in words, without running anything.
# The output for the spec's example config is checked in as a golden file
# (tests/golden/explain-spec-example.txt); after a deliberate change of the
# plan, rewrite it with HULL_UPDATE_GOLDEN=1 tests/run explain.

load helpers

SPEC_DIR=$REPO/../shared/oci-runtime-spec
GOLDEN=$REPO/tests/golden/explain-spec-example.txt

setup_more() {
	skip_if_runc "hull explain is hull's own"
}

# example_bundle DIR: the spec's example config alone (no rootfs).
example_bundle() {
	mkdir -p "$1"
	cp "$SPEC_DIR/schema/test/config/good/spec-example.json" "$1/config.json"
}

@test "explain: the spec example matches the golden file" {
	example_bundle "$T/example"
	cd "$T/example"
	run --separate-stderr "$HULL" --root /run/hull explain
	assert_status 0
	if [ -n "${HULL_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$output" >"$GOLDEN"
	fi
	if ! diff -u "$GOLDEN" <(printf '%s\n' "$output") >"$T/diff"; then
		head -40 "$T/diff" | sed 's/^/# /' >&2
		return 1
	fi
	assert_eq "$stderr" "" "stderr"
}

@test "explain: the steps come in the launch order of docs/ARCHITECTURE.md" {
	example_bundle "$T/example"
	run --separate-stderr "$HULL" explain --bundle "$T/example"
	assert_status 0
	local steps want
	steps=$(printf '%s\n' "$output" | awk '/^  [a-z_0-9]+ / { print $1 }' | uniq | tr '\n' ' ')
	want="make_state_dir make_exec_fifo cgroup_prepare seccomp_compile clone_init supervise_setup write_state"
	want+=" launch_abort container_init step_userns ns_join_paths cgroup_join_self ns_unshare_cgroup"
	want+=" ns_setup_time ns_loopback_up rootfs_prepare mount_entry devices_setup step_uts step_runtime_hooks rootfs_pivot"
	want+=" sysctl_apply rootfs_finish process_apply_rlimits setsid step_terminal step_keyring process_chdir"
	want+=" step_user_and_caps process_resolve lsm_apply_exec_label no_new_privs seccomp_prog_load step_wait_for_start"
	want+=" step_start_hooks close_range process_exec start poststart container_destroy poststop"
	assert_contains "$steps" "$want"
}

@test "explain: runs nothing and needs no rootfs" {
	example_bundle "$T/example"
	run --separate-stderr hull explain --bundle "$T/example"
	assert_status 0
	[ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ] || {
		echo "# explain left state in $ROOT" >&2
		return 1
	}
	assert_eq "$(test_cgroup_dirs)" "" "cgroups made"
}

@test "explain: namespaces, mounts with flags and propagation, capabilities per set" {
	cfg '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = .linux.uidMappings
		| .mounts += [{"destination": "/data", "type": "bind", "source": "/tmp", "options": ["rbind", "ro", "nosuid", "rprivate"]}]
		| .linux.namespaces |= map(if .type == "network" then .path = "/proc/1/ns/net" else . end)'
	run --separate-stderr hull explain
	assert_status 0
	assert_contains "$output" "CLONE_NEWUSER"
	assert_contains "$output" "network  joined: /proc/1/ns/net"
	assert_contains "$output" "uid 0 100000 65536: container uids 0-65535 are host uids 100000-165535"
	assert_contains "$output" "recursive bind of /tmp"
	assert_contains "$output" "set MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID"
	assert_contains "$output" "then propagation rprivate"
	assert_contains "$output" "bounding    CAP_"
	assert_contains "$output" "inheritable (empty)"
	assert_contains "$output" "bind-mounted from the host (no mknod in a user namespace)"
	assert_not_contains "$output" "ns_loopback_up"
}

@test "explain: --no-pivot and --systemd-cgroup change the plan" {
	run --separate-stderr hull explain --no-pivot
	assert_status 0
	assert_contains "$output" "--no-pivot: hide the host's /proc and /sys mounts, MS_MOVE the rootfs onto /, chroot"
	cfg '.linux.cgroupsPath = "system.slice:hull:x"'
	run --separate-stderr hull --systemd-cgroup explain
	assert_status 0
	assert_contains "$output" "a transient systemd scope"
}

@test "explain: a config that does not parse fails with the field's path" {
	cfg '.process.cwd = 5'
	run --separate-stderr hull explain
	assert_status 1
	assert_hull_error_line "$stderr"
	assert_contains "$stderr" "process.cwd: expected a string, got an integer"
	assert_eq "$output" "" "stdout"
}
