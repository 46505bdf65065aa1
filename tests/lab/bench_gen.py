#!/usr/bin/env python3
"""Benchmark zones for the DANE lab (build.ps1 -Task Bench). Off unless DANELAB_BENCH_DOMAINS is set.

gen.py calls this module only when DANELAB_BENCH_DOMAINS > 0; the normal lab and its catalogue are unchanged.
It adds the TLD "bench." (delegated from the private root) with N signed zones d00000.bench. ... each with
  @ MX 10 mx.<zone>   mx A 127.x.y.z   _25._tcp.mx TLSA 3 1 1 <SPKI SHA-256>
and, for the first DANELAB_BENCH_FULL (default 0) zones, a real Postfix smtpd listener on the MX address with a
self-signed certificate whose SPKI the TLSA record names (DANE-EE), so the full check and posttls-finger pass.
Each zone has its own ECDSA P-256 key (dnssec-keygen) and is signed by dnssec-signzone, like the scenario zones.

DANELAB_BENCH_BULK=K (default 0; the bench's memory run at 100,000 domains) adds K more recipient domains, cheaply:
e000000.b00.bench ... , BULK_PER_ZONE of them per signed zone b00.bench, b01.bench ... (one key and one dnssec-signzone
call per 10,000 names instead of one per domain). Each has the same records as a bench zone (MX, mx A, TLSA) under
its own distinct names, so every question is a distinct cold answer for Unbound (recursion to NSD, validation) and a
distinct signed RRset or NSEC proof for the client's validator; what they lack is the zone cut (no DS and DNSKEY of
their own: the validator's key entry of bNN.bench is reused).
"""
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import gen

TLD = "bench."
DUMMY_DIGEST = hashlib.sha256(b"DaneTools bench: a DNS-only domain, no SMTP listener").hexdigest()


BULK_PER_ZONE = 10000


def bulk_count():
    """K: extra recipient domains in the bulk zones (0 when off)."""
    return max(0, int(os.environ.get("DANELAB_BENCH_BULK", "0") or 0))


def bulk_zone(j):
    return f"b{j // BULK_PER_ZONE:02d}.bench"


def bulk_domain(j):
    # Measure-DaneDomain.ps1 builds the same names: 'e{0:d6}.b{1:d2}.bench'
    return f"e{j:06d}.{bulk_zone(j)}"


def bulk_address(j):
    # 127.3.0.0/16: nothing listens (DNS-only)
    return f"127.3.{(j // 250) % 256}.{j % 250 + 1}"


def counts():
    """(N, M): generated zones and how many of them get an SMTP listener; (0, 0) when the bench is off."""
    n = int(os.environ.get("DANELAB_BENCH_DOMAINS", "0") or 0)
    m = int(os.environ.get("DANELAB_BENCH_FULL", "0") or 0)
    return max(n, 0), max(0, min(m, n))


def enabled():
    return counts()[0] > 0


def domain(i):
    return f"d{i:05d}.bench"


def full_address(i):
    # 127.1.0.0/16: SMTP listeners (127/8 is local on lo inside the namespace; Postfix binds address:port)
    return f"127.1.{i // 250}.{i % 250 + 1}"


def dns_only_address(i):
    # 127.2.0.0/16: nothing listens (the DNS-only check never connects)
    return f"127.2.{(i // 250) % 256}.{i % 250 + 1}"


def nsd_options():
    """NSD server settings for the bench: no response rate limiting. NSD's default (200 answers per second per bucket;
    the NODATA and NXDOMAIN answers of one zone share a bucket) throttles the thousands of negative answers per second
    from one bulk zone, and Unbound then waits on slipped (truncated) or dropped answers."""
    return "  rrl-ratelimit: 0\n"


def unbound_options(final):
    """Unbound settings for the bench: remote control on a Unix socket (stats, flush), room for bulk load."""
    server = f"""  extended-statistics: yes
  statistics-cumulative: no
  msg-cache-size: 64m
  rrset-cache-size: 128m
  key-cache-size: 32m
  neg-cache-size: 16m
"""
    remote = f"""remote-control:
  control-enable: yes
  control-interface: {final}/unbound/control.sock
  control-use-cert: no
"""
    # outgoing-range and num-queries-per-thread replace the normal lab's 64/64 (dnsperf keeps many in flight)
    return server, remote, {"outgoing-range": 1024, "num-queries-per-thread": 512}


def postfix_recv_options():
    """main.cf lines for the receiving Postfix when the bench runs (empty otherwise).

    One Postfix instance stands in for the M bench MX servers, so a bulk run opens as many TLS sessions on it at once
    as the client has in flight (Test-DaneDomain -ThrottleLimit 128: 128). Every smtpd asks the single tlsmgr(8) for
    entropy at STARTTLS; master(8) gives a UNIX service a listen backlog of its process limit or
    default_process_limit (100), whichever is larger, so past about 100 at once connect() to tlsmgr failed with EAGAIN,
    smtpd disabled TLS ("no entropy for TLS key generation") and the client saw its handshakes fail; the log daemon
    then stalled (postlogd "watchdog timeout"). A larger default_process_limit gives tlsmgr (and postlogd) a backlog
    for that many. In the wild each MX host is its own server.
    """
    if not enabled():
        return ""
    return "default_process_limit = 2000\n"


def generate(tmp, final, ns_name, manifest):
    """Sign the bench zones and the bench TLD into tmp; add listeners to the manifest.

    Returns (root_lines, nsd_zone_stanzas): the delegation of "bench." for the root zone, and NSD zone entries.
    """
    n, m = counts()
    keydir = os.path.join(tmp, "keys", "bench")
    zonedir = os.path.join(tmp, "zones", "bench")
    certdir = os.path.join(tmp, "certs", "bench")
    for d in (keydir, zonedir, certdir):
        os.makedirs(d, exist_ok=True)

    def listener_cert(i):
        host = "mx." + domain(i)
        key, crt = os.path.join(certdir, host + ".key"), os.path.join(certdir, host + ".crt")
        gen.sh(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", crt, "-days", "3650", "-subj", f"/CN={host}",
                "-addext", f"subjectAltName=DNS:{host}", "-addext", "basicConstraints=critical,CA:false"])
        pem = os.path.join(certdir, host + ".pem")
        with open(key) as k, open(crt) as c:
            gen.write(pem, k.read() + c.read(), 0o600)
        return hashlib.sha256(gen.der_spki(crt)).hexdigest()

    def build(i):
        zn = domain(i) + "."
        full = i < m
        digest = listener_cert(i) if full else DUMMY_DIGEST
        addr = full_address(i) if full else dns_only_address(i)
        text = "\n".join([f"$ORIGIN {zn}", f"{zn} {gen.SOA_TAIL}", f"{zn} 3600 IN NS {ns_name}",
                          f"{zn} 3600 IN MX 10 mx.{zn}", f"mx.{zn} 3600 IN A {addr}",
                          f"_25._tcp.mx.{zn} 3600 IN TLSA 3 1 1 {digest}"]) + "\n"
        kb = gen.keygen(keydir, zn)
        gen.sign(zn, text, kb, os.path.join(zonedir, domain(i) + ".zone"), verify=False)
        return gen.ds_lines(kb)

    k = bulk_count()

    def build_bulk(z):
        # One signed zone holding up to BULK_PER_ZONE recipient domains (plain names, no zone cuts).
        zn = f"b{z:02d}.bench."
        lines = [f"$ORIGIN {zn}", f"{zn} {gen.SOA_TAIL}", f"{zn} 3600 IN NS {ns_name}"]
        for j in range(z * BULK_PER_ZONE, min(k, (z + 1) * BULK_PER_ZONE)):
            d = bulk_domain(j) + "."
            lines += [f"{d} 3600 IN MX 10 mx.{d}", f"mx.{d} 3600 IN A {bulk_address(j)}",
                      f"_25._tcp.mx.{d} 3600 IN TLSA 3 1 1 {DUMMY_DIGEST}"]
        kb = gen.keygen(keydir, zn)
        gen.sign(zn, "\n".join(lines) + "\n", kb, os.path.join(zonedir, zn.rstrip(".") + ".zone"), verify=False)
        return zn, gen.ds_lines(kb)

    bulk_zones = (k + BULK_PER_ZONE - 1) // BULK_PER_ZONE
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        bulk = list(pool.map(build_bulk, range(bulk_zones)))
        ds = list(pool.map(build, range(n)))

    body = [f"$ORIGIN {TLD}", f"{TLD} {gen.SOA_TAIL}", f"{TLD} 3600 IN NS {ns_name}"]
    for i in range(n):
        body.append(f"{domain(i)}. 3600 IN NS {ns_name}")
        body.append(ds[i])
    for zn, zds in bulk:
        body.append(f"{zn} 3600 IN NS {ns_name}")
        body.append(zds)
    tld_key = gen.keygen(os.path.join(tmp, "keys"), TLD)
    gen.sign(TLD, "\n".join(body) + "\n", tld_key, os.path.join(tmp, "zones", "bench.zone"), verify=False)

    for i in range(m):
        host = "mx." + domain(i)
        manifest["listeners"].append({"address": full_address(i), "host": host,
                                      "chain": os.path.join(final, "certs", "bench", host + ".pem"), "starttls": True})
    manifest["bench"] = {"tld": TLD.rstrip("."), "domains": n, "full": m,
                         "first": domain(0) if n else None,
                         "bulk": k, "bulkPerZone": BULK_PER_ZONE,
                         "controlSocket": os.path.join(final, "unbound", "control.sock"),
                         "unboundConf": os.path.join(final, "unbound", "unbound.conf")}

    stanzas = f'zone:\n  name: "{TLD}"\n  zonefile: "{final}/zones/bench.zone"\n'
    stanzas += "".join(f'zone:\n  name: "{domain(i)}."\n  zonefile: "{final}/zones/bench/{domain(i)}.zone"\n'
                       for i in range(n))
    stanzas += "".join(f'zone:\n  name: "{zn}"\n  zonefile: "{final}/zones/bench/{zn.rstrip(".")}.zone"\n' for zn, _ in bulk)
    return [f"{TLD} 3600 IN NS {ns_name}", gen.ds_lines(tld_key)], stanzas
