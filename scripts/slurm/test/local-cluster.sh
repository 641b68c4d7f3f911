#!/bin/bash
# A one-node Slurm cluster on this machine, for testing scripts/slurm on a real scheduler: munged,
# slurmctld and slurmd (Debian/Ubuntu packages) started as plain daemons, no systemd needed.
#
#   scripts/slurm/test/local-cluster.sh [start]   # install what is missing (apt), configure, start; prints sinfo
#   scripts/slurm/test/local-cluster.sh stop      # stops the three daemons (by their pid files)
#   scripts/slurm/test/local-cluster.sh status
#
# Needs root. Idempotent: a second start changes nothing if everything runs with the same configuration.
# The node is this machine (all its CPUs, 90% of its memory); one partition "debug"; no accounting.
# Process tracking: proctrack/cgroup when a cgroup-v1 freezer hierarchy is writable (every process of a
# job is killed when the job ends, as on production clusters), else proctrack/linuxproc. Override with
# NESS_PROCTRACK=cgroup|linuxproc. Daemon logs: /var/log/slurm/.
set -euo pipefail

conf=/etc/slurm/slurm.conf
cgconf=/etc/slurm/cgroup.conf
pidfiles=(/run/munge/munged.pid /run/slurmctld.pid /run/slurmd.pid)

running() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_daemon() {                       # stop_daemon PIDFILE
    if running "$1"; then
        kill "$(cat "$1")"
        for _ in $(seq 100); do running "$1" || break; sleep 0.1; done
    fi
    rm -f "$1"
}

case "${1:-start}" in
    start) ;;
    stop)
        for ((k = ${#pidfiles[@]} - 1; k >= 0; k--)); do stop_daemon "${pidfiles[k]}"; done
        exit 0 ;;
    status)
        for f in "${pidfiles[@]}"; do
            if running "$f"; then echo "$(basename "$f" .pid) running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid) not running"; fi
        done
        running /run/slurmctld.pid && sinfo
        exit 0 ;;
    *)  echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

if [[ $(id -u) -ne 0 ]]; then
    echo "local-cluster.sh: must run as root (it installs packages and starts system daemons)" >&2
    exit 2
fi

# Packages (their maintainer scripts cannot start services without systemd; we start them below).
missing=0
for c in munged slurmctld slurmd sbatch; do command -v "$c" >/dev/null || missing=1; done
if [[ $missing == 1 ]]; then
    if ! command -v apt-get >/dev/null; then
        echo "local-cluster.sh: Slurm is not installed and there is no apt-get to install it" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        munge slurmctld slurmd slurm-client >/dev/null
fi

# munge: a key, its directories, the daemon.
[[ -s /etc/munge/munge.key ]] || head -c 1024 /dev/urandom > /etc/munge/munge.key
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 755 /run/munge
install -d -o munge -g munge -m 700 /var/lib/munge /var/log/munge
if ! running /run/munge/munged.pid; then
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do [[ -S /run/munge/munge.socket.2 ]] && break; sleep 0.1; done
fi
munge -n | unmunge >/dev/null

# Configuration.
proctrack=${NESS_PROCTRACK:-}
if [[ -z $proctrack ]]; then
    probe=/sys/fs/cgroup/freezer/ness-probe.$$
    if mkdir "$probe" 2>/dev/null; then rmdir "$probe"; proctrack=cgroup; else proctrack=linuxproc; fi
fi
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)   # below MemTotal, or slurmd drains the node
install -d -o slurm -g slurm -m 755 /var/spool/slurmctld /var/log/slurm
install -d -m 755 /var/spool/slurmd /etc/slurm
changed=0
write_if_different() {               # write_if_different FILE < content
    local content; content=$(cat)
    if [[ ! -f $1 ]] || [[ $(cat "$1") != "$content" ]]; then
        printf '%s\n' "$content" > "$1"; chmod 644 "$1"; changed=1
    fi
}
write_if_different "$conf" <<EOC
# written by scripts/slurm/test/local-cluster.sh (ness): one node, one partition, no accounting
ClusterName=ness-local
SlurmctldHost=$host
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/$proctrack
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
KillWait=30
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOC
if [[ $proctrack == cgroup ]]; then
    write_if_different "$cgconf" <<EOC
CgroupPlugin=cgroup/v1
CgroupAutomount=no
ConstrainCores=no
ConstrainRAMSpace=no
EOC
elif [[ -e $cgconf ]]; then
    rm -f "$cgconf"; changed=1
fi

# Daemons: restarted if the configuration changed.
if [[ $changed == 1 ]]; then stop_daemon /run/slurmd.pid; stop_daemon /run/slurmctld.pid; fi
running /run/slurmctld.pid || /usr/sbin/slurmctld
running /run/slurmd.pid || /usr/sbin/slurmd

state=""
for _ in $(seq 150); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1 || true)
    [[ $state == idle* || $state == mix* || $state == alloc* ]] && break
    [[ $state == down* || $state == drain* ]] && scontrol update nodename="$host" state=resume 2>/dev/null || true
    sleep 0.2
done
if [[ ! ( $state == idle* || $state == mix* || $state == alloc* ) ]]; then
    echo "local-cluster.sh: the node did not come up (state '${state:-none}'); see /var/log/slurm/" >&2
    exit 1
fi
echo "local-cluster.sh: proctrack/$proctrack, $cpus CPUs, ${mem} MB; munged $(cat /run/munge/munged.pid), slurmctld $(cat /run/slurmctld.pid), slurmd $(cat /run/slurmd.pid)" >&2
sinfo >&2
