# tools/seccomp-profile.jq: a Docker/containers-common seccomp profile
# (e.g. /usr/share/containers/seccomp.json, Debian's golang-github-containers-common)
# -> the OCI linux.seccomp object for `hull spec`'s capabilities
# (AUDIT_WRITE, KILL, NET_BIND_SERVICE) on x86-64: rules whose includes/excludes
# select by capability or architecture are kept or dropped accordingly.
#   jq -f tools/seccomp-profile.jq /usr/share/containers/seccomp.json
def caps: ["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"];
def arches: ["amd64","x32","x86"];
{
  defaultAction: .defaultAction,
  defaultErrnoRet: .defaultErrnoRet,
  architectures: ["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
  syscalls: [ .syscalls[]
    | select(((.includes.caps // []) - caps) == [])
    | select(((.excludes.caps // []) - ((.excludes.caps // []) - caps)) == [])
    | select((.includes.arches // []) as $a | $a == [] or ($a - ($a - arches)) != [])
    | {names, action} + (if .args and (.args|length) > 0 then {args} else {} end)
      + (if .errnoRet then {errnoRet} else {} end) ]
}
