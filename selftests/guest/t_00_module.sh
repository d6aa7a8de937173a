# SPDX-License-Identifier: GPL-2.0
#
# Module lifecycle: load, modinfo, /dev/bpf and its mode (default and
# devmode=0660), a bad devmode refused, rmmod refused while an fd is open,
# 50 load/unload cycles with a clean kernel log.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 22

mark=$(dmesg_mark)
ko=$BPFDEV_KO
loaded() { grep -q '^bpfdev ' /proc/modules; }
mode_of() { stat -c %a /dev/bpf 2>/dev/null; }
is_chardev() { [ -c /dev/bpf ]; }
no_dev() { [ ! -e /dev/bpf ]; }

# The runner loaded it; start from scratch.
check "rmmod the runner's bpfdev" rmmod bpfdev
check_not "no /dev/bpf without the module" is_chardev
check "insmod bpfdev.ko" insmod "$ko"
check "/dev/bpf is a character device" is_chardev
check "/dev/bpf has mode 0600 by default" [ "$(mode_of)" = 600 ]
check "/dev/bpf is a misc device (major 10)" [ "$(stat -c %t /dev/bpf)" = a ]
check "/dev/bpf is owned by root" [ "$(stat -c %u:%g /dev/bpf)" = 0:0 ]

version=$(modinfo -F version "$ko")
check "modinfo: license GPL" [ "$(modinfo -F license "$ko")" = GPL ]
check "modinfo: a description" [ -n "$(modinfo -F description "$ko")" ]
check "modinfo: version $version matches /sys/module" \
	[ -n "$version" -a "$(cat /sys/module/bpfdev/version)" = "$version" ]
check "devmode parameter reads 384 (0600)" \
	[ "$(cat /sys/module/bpfdev/parameters/devmode)" = 384 ]
check "dmesg says bpfdev $version loaded" \
	sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'bpfdev $version loaded'"

# A module with an open fd must stay.
exec 3</dev/bpf
check_not "rmmod refused while /dev/bpf is open" rmmod bpfdev 2>/dev/null
check "module still loaded" loaded
exec 3<&-
check "rmmod after close" rmmod bpfdev
check "/dev/bpf gone after rmmod" no_dev

insmod "$ko" devmode=0660
check "devmode=0660 gives mode 0660" [ "$(mode_of)" = 660 ]
rmmod bpfdev
check_not "devmode=01777 is refused" insmod "$ko" devmode=01777 2>/dev/null
check "nothing left after a refused load" no_dev

cycles() {
	i=0
	while [ $i -lt 50 ]; do
		insmod "$ko" || return 1
		[ -c /dev/bpf ] || return 1
		rmmod bpfdev || return 1
		i=$((i + 1))
	done
}
check "50 insmod/rmmod cycles" cycles
check_not "kernel log clean (no WARN/BUG/Oops/leak)" dmesg_bad_since "$mark"

# Leave it loaded, as the runner expects.
check "insmod again" insmod "$ko"
finish
