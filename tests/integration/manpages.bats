#!/usr/bin/env bats
# Man pages (man/*.scd) and --help: every command has a page, and each page
# lists exactly the options its --help lists (they come from the commands'
# cli_opt tables), so neither can forget a flag.

load helpers

MAN=$REPO/man

setup_more() {
	skip_if_runc "hull's own man pages"
}

# Long option names of a --help text ("   --name ..." lines), sorted.
help_opts() {
	sed -n 's/^   --\([a-z0-9-]*\).*/\1/p' | sort
}

# Long option names of a page's OPTIONS (or GLOBAL OPTIONS) section.
man_opts() { # PAGE SECTION
	awk -v sec="# $2" '
		/^# / { on = ($0 == sec) }
		on && /^\*--[a-z0-9-]+\*/ { s = $0; sub(/^\*--/, "", s); sub(/\*.*/, "", s); print s }
	' "$1" | sort
}

# The commands of `hull --help`.
commands() {
	"$HULL" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'
}

@test "man: every command of hull --help has a page, listed in hull(8) and man/meson.build" {
	local c n=0
	for c in $(commands); do
		[ -f "$MAN/hull-$c.8.scd" ] || {
			echo "# no man/hull-$c.8.scd" >&2
			return 1
		}
		grep -q "^\*$c\*\$" "$MAN/hull.8.scd" || {
			echo "# $c is not in the COMMANDS of man/hull.8.scd" >&2
			return 1
		}
		grep -q "'hull-$c'" "$MAN/meson.build" || {
			echo "# hull-$c is not built by man/meson.build" >&2
			return 1
		}
		n=$((n + 1))
	done
	[ "$n" -ge 17 ]
}

@test "man: each page lists exactly the options of the command's --help" {
	local c want got bad=0
	for c in $(commands); do
		want=$("$HULL" "$c" --help | help_opts)
		got=$(man_opts "$MAN/hull-$c.8.scd" OPTIONS)
		if [ "$want" != "$got" ]; then
			echo "# hull $c: --help lists [$(echo $want)], the man page [$(echo $got)]" >&2
			bad=1
		fi
	done
	[ "$bad" = 0 ]
}

@test "man: hull(8) lists exactly the global options of hull --help" {
	local want got
	want=$("$HULL" --help | sed -n '/^Global options:/,/^$/p' | help_opts)
	got=$(man_opts "$MAN/hull.8.scd" "GLOBAL OPTIONS")
	assert_eq "$(echo $got)" "$(echo $want)" "global options"
}

@test "man: every page is valid scdoc" {
	command -v scdoc >/dev/null || skip "scdoc is not installed (apt-get install scdoc)"
	local f
	for f in "$MAN"/*.scd; do
		scdoc <"$f" >"$T/page.8" || {
			echo "# scdoc failed on $f" >&2
			return 1
		}
		grep -q '^\.SH "\{0,1\}SYNOPSIS' "$T/page.8" || {
			echo "# $f: no SYNOPSIS" >&2
			return 1
		}
	done
}
