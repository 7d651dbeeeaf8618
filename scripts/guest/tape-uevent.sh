#!/bin/sh
# Run by busybox `uevent` for every kernel uevent in the Hercules tape test
# (scripts/guest/tape.sh); the uevent's variables are in the environment.
# Records those that carry MEDIUM_STATE (what the tape driver sends on a
# medium change): "<MEDIUM_STATE> <bus id> <SEQNUM> <ACTION>".
[ -n "$MEDIUM_STATE" ] || exit 0
echo "$MEDIUM_STATE ${DEVPATH##*/} $SEQNUM $ACTION" >> /tmp/tape-uevents
