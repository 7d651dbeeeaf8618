#!/bin/sh
# Guest side of `make demo` (busybox sh, run by /init with
# kevent_script=/kevent/demo.sh). Extend freely.
MODDIR=/kevent/modules
echo "==== kevent demo on $(uname -m), kernel $(uname -r)"
for m in kevent kevent_s390_log kevent_tape_sim; do
	[ -f "$MODDIR/$m.ko" ] || continue
	if insmod "$MODDIR/$m.ko"; then
		echo "demo: loaded $m"
	else
		echo "demo: insmod $m FAILED"
	fi
done
echo "demo: modules:"; grep '^kevent' /proc/modules | sed 's/^/  /'
ls -l /dev/kevent 2>/dev/null || echo "demo: /dev/kevent not present"
dmesg | grep -i kevent | sed 's/^/  dmesg: /'
echo "==== kevent demo done"
