# SPDX-License-Identifier: GPL-2.0
# demo: the module, the device and the version query
show modinfo /bpfdev/bpfdev.ko
show insmod /bpfdev/bpfdev.ko
show ls -l /dev/bpf
show cat /sys/module/bpfdev/version /sys/module/bpfdev/parameters/devmode
show bpfdev-version
show 'dmesg | grep bpfdev'
show rmmod bpfdev
show insmod /bpfdev/bpfdev.ko devmode=0660
show ls -l /dev/bpf
show rmmod bpfdev
