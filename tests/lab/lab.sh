#!/usr/bin/env bash
# DaneTools lab: a private signed DNS hierarchy and real SMTP servers inside network namespace "danelab".
# Usage (as root): lab.sh up | down [--force] | clean | status | exec <cmd...> | peers [--wrong-anchor] | install
# DANELAB_NS names another namespace (default danelab), so that two checkouts on one machine can each run a lab:
# a lab whose namespace is owned by another checkout's run directory is never touched (only with down --force).
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=${DANELAB_RUN:-$LAB_DIR/run}
NS=${DANELAB_NS:-danelab}
export DANELAB_NS=$NS
OWNER=/run/$NS.owner
PIDS=$RUN/pids
PKGS=(nsd unbound bind9-utils ldnsutils bind9-dnsutils postfix dnsperf openssl iproute2 python3 python3-dnspython postfix-mta-sts-resolver nginx)

log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_root() { [[ $(id -u) -eq 0 ]] || die "run as root"; }

# Install only the Debian packages that are missing; never start their daemons in the host namespace.
ensure_packages() {
    local missing=() p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "installing: ${missing[*]}"
    echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
    local made_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
    fi
    local rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || rc=$?
    if [[ $rc -ne 0 ]]; then
        log "apt-get install failed ($rc); updating package lists and retrying"
        apt-get update -q >&2
        rc=0; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || rc=$?
    fi
    [[ $made_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $rc -eq 0 ]] || die "apt-get install failed"
}


nsexec() { ip netns exec "$NS" "$@" 9>&-; }  # daemons must not inherit the lock

ns_alive() { [[ -e /run/netns/$NS ]] && ip netns exec "$NS" true 2>/dev/null; }

# The namespace's network namespace inode, to tell our processes from recycled PIDs.
ns_inode() { stat -L -c %i "/run/netns/$NS" 2>/dev/null || true; }
pid_in_ns() { [[ -n ${2:-} && -e /proc/$1/ns/net ]] && [[ $(stat -L -c %i "/proc/$1/ns/net" 2>/dev/null) == "$2" ]]; }

# The run directory of another checkout whose lab lives in this namespace, if any.
foreign_owner() {
    ns_alive || return 0
    if [[ -s $OWNER ]]; then
        [[ $(cat "$OWNER") != "$RUN" ]] && cat "$OWNER"
        return 0
    fi
    local p c
    for p in $(ip netns pids "$NS" 2>/dev/null); do
        c=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null || true)
        if [[ $c =~ (/[^ ]*/tests/lab/run)/ && ${BASH_REMATCH[1]} != "$RUN" ]]; then echo "${BASH_REMATCH[1]}"; return 0; fi
    done
}

# The benchmark's zones (DANELAB_BENCH_DOMAINS/_FULL, bench_gen.py) count only when asked for: the normal stamp is unchanged.
gen_stamp() {
    {
        cat "$LAB_DIR/scenarios.json" "$LAB_DIR/gen.py"
        if [[ ${DANELAB_BENCH_DOMAINS:-0} -gt 0 ]]; then
            cat "$LAB_DIR/bench_gen.py"; echo "bench ${DANELAB_BENCH_DOMAINS} ${DANELAB_BENCH_FULL:-0} ${DANELAB_BENCH_BULK:-0}"
        fi
    } | sha256sum | cut -d' ' -f1
}

ns_up() {
    if [[ -e /run/netns/$NS ]] && ! ns_alive; then
        log "removing stale namespace $NS"; ip netns del "$NS" 2>/dev/null || rm -f "/run/netns/$NS"
    fi
    ns_alive || ip netns add "$NS"
    echo "$RUN" > "$OWNER"
    nsexec ip link set lo up
    # the sender's own address must exist on an interface, or Postfix refuses inet_interfaces
    nsexec ip addr replace "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sender"])' "$RUN/lab-manifest.json")/8" dev lo
    local sts_sender
    sts_sender=$(python3 -c 'import json,sys; print((json.load(open(sys.argv[1])).get("stsSender") or {}).get("address", ""))' "$RUN/lab-manifest.json")
    [[ -z $sts_sender ]] || nsexec ip addr replace "$sts_sender/8" dev lo
    if ! nsexec ip link show danelab0 >/dev/null 2>&1; then
        # dummy where the kernel has it, else an empty bridge: both just carry the lab's IPv6 addresses
        nsexec ip link add danelab0 type dummy 2>/dev/null || nsexec ip link add danelab0 type bridge
    fi
    nsexec ip link set danelab0 up
    local a
    for a in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["ipv6"]))' "$RUN/lab-manifest.json"); do
        nsexec ip -6 addr replace "$a/64" dev danelab0 nodad
    done
    mkdir -p "/etc/netns/$NS"
    printf '# DaneTools lab: the validating Unbound inside namespace %s\nnameserver 127.0.0.1\noptions trust-ad edns0\n' "$NS" \
        > "/etc/netns/$NS/resolv.conf"
}

wait_for() { # wait_for <seconds> <command...>
    local t=$1; shift
    local end=$((SECONDS + t))
    until "$@" >/dev/null 2>&1; do
        (( SECONDS >= end )) && return 1
        sleep 0.1
    done
}

postfix_pidfile() { echo "$RUN/postfix-$1/queue/pid/master.pid"; }
# recv, send and, where the catalogue has MTA-STS scenarios, sts (the sender with postfix-mta-sts-resolver's policy map)
postfix_instances() { printf "%s\n" recv send; [[ -f $RUN/postfix-sts/main.cf ]] && echo sts; return 0; }

start_all() {
    mkdir -p "$PIDS" "$RUN/logs"
    local ino; ino=$(ns_inode)
    local nsip; nsip=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nameServer"])' "$RUN/lab-manifest.json")
    if ! pid_in_ns "$(cat "$PIDS/nsd.pid" 2>/dev/null || echo 0)" "$ino"; then
        nsexec nsd -c "$RUN/nsd/nsd.conf"
    fi
    # NSD reads every zone before it answers: the bench's bulk zones (DANELAB_BENCH_BULK) take it longer
    wait_for $((20 + ${DANELAB_BENCH_BULK:-0} / 1000)) nsexec dig +time=1 +tries=1 @"$nsip" . SOA +norec || die "NSD did not answer"
    if ! pid_in_ns "$(cat "$PIDS/unbound.pid" 2>/dev/null || echo 0)" "$ino"; then
        nsexec unbound -c "$RUN/unbound/unbound.conf"
    fi
    wait_for 20 nsexec dig +time=1 +tries=1 @127.0.0.1 . SOA || die "Unbound did not answer"
    # A resolver that strips DNSSEC (a firewall's DNS proxy): 127.0.0.3:53 in front of Unbound.
    if ! pid_in_ns "$(cat "$PIDS/dns-strip.pid" 2>/dev/null || echo 0)" "$ino"; then
        rm -f "$PIDS/dns-strip.pid"
        ip netns exec "$NS" setsid /usr/bin/python3 "$LAB_DIR/dns_strip.py" --pidfile "$PIDS/dns-strip.pid" --listen 127.0.0.3 --upstream 127.0.0.1 \
            </dev/null >>"$RUN/logs/dns-strip.log" 2>&1 9>&- &
        wait_for 10 test -s "$PIDS/dns-strip.pid" || die "DNSSEC-stripping resolver did not start"
    fi
    wait_for 20 nsexec dig +time=1 +tries=1 @127.0.0.3 . SOA || die "the DNSSEC-stripping resolver did not answer"
    # postfix-mta-sts-resolver's daemon (the MTA-STS sender's TLS policy map; no PID file of its own; the lab CA for its fetches)
    local sts_daemon_conf
    sts_daemon_conf=$(python3 -c 'import json,sys; print((json.load(open(sys.argv[1])).get("stsSender") or {}).get("config", ""))' "$RUN/lab-manifest.json")
    if [[ -n $sts_daemon_conf ]] && ! pid_in_ns "$(cat "$PIDS/mta-sts-daemon.pid" 2>/dev/null || echo 0)" "$ino"; then
        ip netns exec "$NS" setsid env SSL_CERT_FILE="$RUN/certs/ca/root.crt" mta-sts-daemon -c "$sts_daemon_conf" \
            -l "$RUN/logs/mta-sts-daemon.log" </dev/null >>"$RUN/logs/mta-sts-daemon.log" 2>&1 9>&- &
        echo $! > "$PIDS/mta-sts-daemon.pid"
    fi
    local inst
    for inst in $(postfix_instances); do
        if ! pid_in_ns "$(cat "$(postfix_pidfile $inst)" 2>/dev/null | tr -d ' ' || echo 0)" "$ino"; then
            nsexec postfix -c "$RUN/postfix-$inst" start >>"$RUN/logs/postfix-start.log" 2>&1 \
                || { cat "$RUN/logs/postfix-start.log" >&2; die "postfix $inst did not start"; }
        fi
        wait_for 20 test -s "$(postfix_pidfile $inst)" || die "postfix $inst wrote no PID file"
        ln -sf "$(postfix_pidfile $inst)" "$PIDS/postfix-$inst.pid"
    done
    local pairs
    pairs=$(python3 -c 'import json,sys; print(" ".join(p["listen"]+":25="+p["backend"]+":25" for p in json.load(open(sys.argv[1]))["proxies"]))' "$RUN/lab-manifest.json")
    if [[ -n $pairs ]] && ! pid_in_ns "$(cat "$PIDS/strip-proxy.pid" 2>/dev/null || echo 0)" "$ino"; then
        rm -f "$PIDS/strip-proxy.pid"
        # shellcheck disable=SC2086
        ip netns exec "$NS" setsid python3 "$LAB_DIR/starttls_strip.py" --pidfile "$PIDS/strip-proxy.pid" $pairs \
            </dev/null >>"$RUN/logs/strip-proxy.log" 2>&1 9>&- &
        wait_for 10 test -s "$PIDS/strip-proxy.pid" || die "STARTTLS-stripping proxy did not start"
    fi
    # MTA-STS policy hosts: Debian's nginx, one server block per mta-sts.<domain> (run/nginx/nginx.conf from gen.py).
    # -e: the error log before the configuration is read (else nginx opens /var/log/nginx/error.log of the host).
    local sts_conf
    sts_conf=$(python3 -c 'import json,sys; print((json.load(open(sys.argv[1])).get("sts") or {}).get("conf", ""))' "$RUN/lab-manifest.json")
    if [[ -n $sts_conf ]] && ! pid_in_ns "$(cat "$PIDS/nginx.pid" 2>/dev/null || echo 0)" "$ino"; then
        rm -f "$PIDS/nginx.pid"
        mkdir -p "$RUN/nginx/tmp"
        nsexec nginx -c "$sts_conf" -e "$RUN/logs/nginx-error.log" >>"$RUN/logs/nginx-start.log" 2>&1 \
            || { cat "$RUN/logs/nginx-start.log" >&2; die "nginx (MTA-STS policy hosts) did not start"; }
        wait_for 10 test -s "$PIDS/nginx.pid" || die "nginx wrote no PID file"
    fi
    # every SMTP listener answers
    wait_for 30 nsexec python3 "$LAB_DIR/peers.py" --check-listeners || die "SMTP listeners did not come up"
}

healthy() {
    ns_alive || return 1
    [[ -f $RUN/gen.stamp && $(cat "$RUN/gen.stamp") == "$(gen_stamp)" ]] || return 1
    local ino f; ino=$(ns_inode)
    for f in nsd unbound dns-strip $(postfix_instances | sed 's/^/postfix-/'); do
        pid_in_ns "$(tr -d ' ' < "$PIDS/$f.pid" 2>/dev/null || echo 0)" "$ino" || return 1
    done
    if [[ -f $RUN/mta-sts-daemon/mta-sts-daemon.yml ]]; then
        pid_in_ns "$(tr -d ' ' < "$PIDS/mta-sts-daemon.pid" 2>/dev/null || echo 0)" "$ino" || return 1
    fi
    if [[ -n $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["proxies"] or "")' "$RUN/lab-manifest.json") ]]; then
        pid_in_ns "$(tr -d ' ' < "$PIDS/strip-proxy.pid" 2>/dev/null || echo 0)" "$ino" || return 1
    fi
    if [[ -n $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("sts") or "")' "$RUN/lab-manifest.json") ]]; then
        pid_in_ns "$(tr -d ' ' < "$PIDS/nginx.pid" 2>/dev/null || echo 0)" "$ino" || return 1
    fi
    nsexec dig +time=1 +tries=1 @127.0.0.1 . SOA >/dev/null 2>&1 || return 1
    nsexec python3 "$LAB_DIR/peers.py" --check-listeners
}

# One lab per machine: up, down, clean and peers (which swaps the trust anchor) never overlap.
lab_lock() {
    exec 9>"/run/lock/$NS.lock"
    flock -w 600 9 || die "another lab.sh holds /run/lock/$NS.lock"
}

cmd_up() {
    need_root
    ensure_packages
    local other; other=$(foreign_owner)
    [[ -z $other ]] || die "namespace $NS holds the lab of $other: take it down with that checkout's lab.sh down, or set DANELAB_NS to use another namespace"
    if healthy; then echo "$RUN" > "$OWNER"; log "lab already up"; return 0; fi
    if [[ ! -f $RUN/gen.stamp || $(cat "$RUN/gen.stamp" 2>/dev/null) != "$(gen_stamp)" ]]; then
        cmd_down
        log "generating zones, keys, certificates and servers into $RUN"
        python3 "$LAB_DIR/gen.py" || die "generation failed"
        gen_stamp > "$RUN/gen.stamp"
    fi
    ns_up
    start_all
    log "lab up"
}

kill_pidfile() { # kill_pidfile <file> <ns inode>
    local f=$1 ino=$2 pid
    [[ -e $f ]] || return 0
    pid=$(tr -d ' \n' < "$f" 2>/dev/null || true)
    if [[ -n $pid ]] && pid_in_ns "$pid" "$ino"; then kill -TERM "$pid" 2>/dev/null || true; fi
    rm -f "$f"
}

cmd_down() {
    need_root
    local force=${1:-} other
    other=$(foreign_owner)
    if [[ -n $other && $force != --force ]]; then
        log "namespace $NS holds the lab of $other: left alone (lab.sh down --force ends it)"
        return 0
    fi
    local ino; ino=$(ns_inode)
    if [[ -n $ino ]] && ns_alive; then
        local inst
        for inst in sts send recv; do
            [[ -f $RUN/postfix-$inst/main.cf ]] && nsexec postfix -c "$RUN/postfix-$inst" stop >/dev/null 2>&1 || true
        done
        local f
        for f in "$PIDS"/*.pid; do [[ -e $f ]] && kill_pidfile "$f" "$ino"; done
        # whatever still runs in the namespace was started by this lab (daemon children, peers): end it
        local end=$((SECONDS + 10)) p
        while [[ -n $(ip netns pids "$NS" 2>/dev/null) ]] && (( SECONDS < end )); do sleep 0.1; done
        for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
        end=$((SECONDS + 5))
        while [[ -n $(ip netns pids "$NS" 2>/dev/null) ]] && (( SECONDS < end )); do sleep 0.1; done
    fi
    rm -f "$PIDS"/*.pid 2>/dev/null || true
    if [[ -e /run/netns/$NS ]]; then ip netns del "$NS" 2>/dev/null || rm -f "/run/netns/$NS"; fi
    rm -rf "/etc/netns/$NS" "$OWNER"
    rmdir /etc/netns 2>/dev/null || true
    # ip netns made /run/netns a mount point of its own; drop it if no namespace is left in it
    if mountpoint -q /run/netns 2>/dev/null && [[ -z $(ls -A /run/netns 2>/dev/null) ]]; then
        umount /run/netns 2>/dev/null || true
    fi
    log "lab down"
}

cmd_status() {
    local ino rc=0 f pid; ino=$(ns_inode)
    if ns_alive; then echo "namespace $NS: present"; else echo "namespace $NS: absent"; rc=1; fi
    # the MTA-STS pieces (mta-sts-daemon, the sts sender, nginx) where gen.py configured them, as healthy() checks
    local sts=()
    [[ -f $RUN/mta-sts-daemon/mta-sts-daemon.yml ]] && sts+=(mta-sts-daemon)
    [[ -n $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("sts") or "")' "$RUN/lab-manifest.json" 2>/dev/null) ]] && sts+=(nginx)
    for f in nsd unbound dns-strip $(postfix_instances | sed 's/^/postfix-/') strip-proxy "${sts[@]}"; do
        pid=$(tr -d ' \n' 2>/dev/null < "$PIDS/$f.pid" || true)
        if [[ -n $pid ]] && pid_in_ns "$pid" "$ino"; then echo "$f: running (pid $pid)"; else echo "$f: stopped"; rc=1; fi
    done
    if ns_alive; then
        if nsexec dig +time=2 +tries=1 +dnssec @127.0.0.1 ee311.test MX 2>/dev/null | grep -q 'flags:.* ad'; then
            echo "resolver: ee311.test MX validates (AD)"
        else echo "resolver: no validated answer"; rc=1; fi
    fi
    return $rc
}

case "${1:-}" in
    up|down|clean|peers) need_root; mkdir -p /run/lock; lab_lock ;;
    exec|status) [[ -z $(foreign_owner) ]] || die "namespace $NS holds the lab of $(foreign_owner)" ;;
esac

case "${1:-}" in
    install) need_root; ensure_packages ;;
    up) cmd_up ;;
    down) cmd_down "${2:-}" ;;
    clean) cmd_down; rm -rf "$RUN" "$RUN.gen"; log "run directory removed" ;;
    status) cmd_status ;;
    exec) shift; need_root; ns_alive || die "lab is down"; exec ip netns exec "$NS" "$@" ;;
    peers) shift; healthy || die "lab is down or stale: run lab.sh up"; nsexec python3 "$LAB_DIR/peers.py" "$@" ;;
    *) echo "usage: $0 up|down|clean|status|exec <cmd...>|peers [--wrong-anchor]|install" >&2; exit 2 ;;
esac
