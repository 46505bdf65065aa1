#!/usr/bin/env python3
"""Generate the DANE lab from scenarios.json into a run directory.

Writes: a private CA and per-host certificates (openssl), the zones (root ".", "test." and the scenario zones)
signed with dnssec-signzone (ECDSA P-256 CSKs) and delegated with DS, NSD and Unbound configurations with the
private root as trust anchor (plus a deliberately wrong anchor), delv anchor files, the receiving Postfix master
(one smtpd listener per scenario host address) and the DANE-enforcing sending Postfix instance, and
lab-manifest.json, which lab.sh (addresses, proxies) and peers.py read.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import bench_gen

LAB = os.path.dirname(os.path.abspath(__file__))
RUN = os.environ.get("DANELAB_RUN", os.path.join(LAB, "run"))
GOOD_START = None  # set in main: validity windows "valid for years"
SOA_TAIL = "3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300"
WRONG_INPUT = b"DaneTools lab: no certificate or key has this digest"


def sh(args, **kw):
    r = subprocess.run(args, capture_output=True, text=kw.pop("text", True), **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({r.returncode}): {r.stderr.strip()[:2000]}")
    return r.stdout


def fqdn(name, origin=None):
    if name == "@":
        return origin
    if name.endswith("."):
        return name.lower()
    if origin is None:
        return name.lower() + "."
    return (name + "." + origin).lower() if origin != "." else name.lower() + "."


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


# ---------------------------------------------------------------- certificates

class Ca:
    """Private CA: a root and an issuing (intermediate) CA; leaves via `openssl ca` so dates can be backdated."""

    def __init__(self, root):
        self.dir = os.path.join(root, "ca")
        os.makedirs(self.dir, exist_ok=True)
        d = self.dir
        self.root_key, self.root_crt = f"{d}/root.key", f"{d}/root.crt"
        self.ica_key, self.ica_crt = f"{d}/ica.key", f"{d}/ica.crt"
        sh(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", self.root_key, "-out", self.root_crt, "-days", "7300", "-subj", "/O=DaneTools lab/CN=DaneTools Lab Root CA",
            "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        sh(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", self.ica_key, "-out", f"{d}/ica.csr", "-subj", "/O=DaneTools lab/CN=DaneTools Lab Issuing CA"])
        write(f"{d}/ica.ext", "basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n"
              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        sh(["openssl", "x509", "-req", "-in", f"{d}/ica.csr", "-CA", self.root_crt, "-CAkey", self.root_key,
            "-CAcreateserial", "-days", "5000", "-extfile", f"{d}/ica.ext", "-out", self.ica_crt])
        write(f"{d}/index.txt", "")
        write(f"{d}/serial", "1000\n")
        write(f"{d}/ca.cnf", f"""[ ca ]
default_ca = lab
[ lab ]
dir = {d}
database = {d}/index.txt
new_certs_dir = {d}/issued
serial = {d}/serial
certificate = {self.ica_crt}
private_key = {self.ica_key}
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
organizationName = optional
""")
        os.makedirs(f"{d}/issued", exist_ok=True)

    def leaf(self, name, sans, expired, self_signed=False, subject=None):
        """Issue a leaf for `sans`; returns (key, crt). Expired leaves are valid 2020-01-01..2021-01-01. A self-signed
        leaf (no lab CA: untrusted under WebPKI) is made by `openssl req -x509` instead. subject: [[type, value], ...]
        (O and CN; default CN=sans[0]), e.g. markup for the report's escaping test."""
        d = self.dir
        subj = subject_arg(subject) if subject else f"/CN={sans[0]}"
        key, csr, crt, ext = (f"{d}/{name}.key", f"{d}/{name}.csr", f"{d}/{name}.crt", f"{d}/{name}.ext")
        if self_signed:
            sh(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                "-out", crt, "-days", "3650", "-subj", subj, "-addext", "basicConstraints=critical,CA:false",
                "-addext", "extendedKeyUsage=serverAuth", "-addext", "subjectAltName=" + ",".join("DNS:" + s for s in sans)])
            return key, crt
        sh(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", subj])
        write(ext, "[ leaf ]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\n"
              "extendedKeyUsage=serverAuth\nsubjectAltName=" + ",".join("DNS:" + s for s in sans) + "\n")
        if expired:
            start, end = "20200101000000Z", "20210101000000Z"
        else:
            start, end = GOOD_START, "20451231000000Z"
        sh(["openssl", "ca", "-batch", "-notext", "-config", f"{d}/ca.cnf", "-extfile", ext, "-extensions", "leaf",
            "-startdate", start, "-enddate", end, "-in", csr, "-out", crt])
        return key, crt


def subject_arg(pairs):
    """openssl's -subj for [[type, value], ...]: '/' and '\\' inside a value are escaped with '\\'."""
    return "".join(f"/{t}=" + v.replace("\\", "\\\\").replace("/", "\\/") for t, v in pairs)


def der_cert(crt):
    return subprocess.run(["openssl", "x509", "-in", crt, "-outform", "DER"], capture_output=True, check=True).stdout


def der_spki(crt):
    pem = subprocess.run(["openssl", "x509", "-in", crt, "-pubkey", "-noout"], capture_output=True, check=True).stdout
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pem, capture_output=True, check=True).stdout


def template_values(leaf_crt, ica_crt):
    cert, spki, ica = der_cert(leaf_crt), der_spki(leaf_crt), der_cert(ica_crt)
    return {
        "leaf.spki.sha256": hashlib.sha256(spki).hexdigest(),
        "leaf.spki.sha512": hashlib.sha512(spki).hexdigest(),
        "leaf.cert.sha256": hashlib.sha256(cert).hexdigest(),
        "leaf.cert.sha512": hashlib.sha512(cert).hexdigest(),
        "issuer.cert.sha256": hashlib.sha256(ica).hexdigest(),
        "issuer.spki.sha256": hashlib.sha256(der_spki(ica_crt)).hexdigest(),
        "wrong.sha256": hashlib.sha256(WRONG_INPUT).hexdigest(),
        "wrong.sha512": hashlib.sha512(WRONG_INPUT).hexdigest(),
    }


def txt_rr(text):
    """A TXT record's presentation form: the text cut into character-strings of at most 255 octets."""
    return "TXT " + " ".join('"' + text[i:i + 255] + '"' for i in range(0, len(text), 255))


def fill(template, values):
    out = template
    for k, v in values.items():
        out = out.replace("{" + k + "}", v)
    if "{" in out:
        raise ValueError(f"unknown template field in {template!r}")
    return out


# ---------------------------------------------------------------- MTA-STS policy hosts (nginx)

def nginx_string(text):
    """An nginx quoted string: backslash, quote and newline escaped (nginx reads \\n in quotes); nginx has no escape for '$'."""
    if "$" in text:
        raise ValueError(f"an nginx reply cannot hold '$': {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def nginx_conf(servers, listen, tmp, final):
    """nginx.conf for the policy hosts: servers = [(host, key+chain PEM, policy spec)]. A 200 reply is a file under
    nginx/www/<host>/ (so a body above 64 KiB is served like any other), another status a `return`; unknown hosts and
    paths get 404. No MIME map: Content-Type is the scenario's contentType. Connection: close, as a policy fetch is one request."""
    blocks = []
    for host, chain, pol in servers:
        if pol.get("delaySeconds"):
            raise ValueError(f"{host}: delaySeconds is not supported by the nginx policy hosts")
        status, ctype = pol.get("status", 200), pol.get("contentType", "text/plain")
        body = pol.get("body", "")
        # padBytes: extension lines (RFC 8461 3.2 policy-ext, grammatical) until the body has at least that many octets
        while len(body.encode()) < pol.get("padBytes", 0):
            body += "pad: " + "x" * 94 + "\n"
        if status == 200:
            write(os.path.join(tmp, "nginx", "www", host, "mta-sts.txt"), body)
            reply = f"alias {final}/nginx/www/{host}/mta-sts.txt;"
        elif pol.get("location"):
            reply = f"return {status} {pol['location']};"
        else:
            reply = f"return {status} {nginx_string(body)};"
        blocks.append(f"""    server {{
        listen {listen}:443 ssl;
        server_name {host};
        ssl_certificate {chain};
        ssl_certificate_key {chain};
        default_type {nginx_string(ctype)};
        location = /.well-known/mta-sts.txt {{ {reply} }}
        location / {{ return 404 "not found\\n"; }}
    }}
""")
    first_chain = servers[0][1]
    tmpdirs = "".join(f"    {k}_temp_path {final}/nginx/tmp/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# DaneTools lab: MTA-STS policy hosts (gen.py; RFC 8461 section 3.3). Runs inside the lab namespace.
daemon on;
user root;
worker_processes 1;
pid {final}/pids/nginx.pid;
error_log {final}/logs/nginx-error.log;
events {{ worker_connections 128; }}
http {{
    access_log {final}/logs/nginx-access.log;
{tmpdirs}    types {{ }}
    server_tokens off;
    keepalive_timeout 0;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {{
        listen {listen}:443 ssl default_server;
        ssl_certificate {first_chain};
        ssl_certificate_key {first_chain};
        default_type text/plain;
        return 404 "not found\\n";
    }}
{"".join(blocks)}}}
"""


# ---------------------------------------------------------------- zones

def keygen(keydir, zone):
    base = sh(["dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", keydir, zone]).strip()
    return os.path.join(keydir, base)


def dnskey_line(keybase):
    with open(keybase + ".key") as f:
        return "".join(l for l in f if not l.startswith(";"))


def ds_lines(keybase):
    return sh(["dnssec-dsfromkey", "-2", keybase + ".key"]).strip()


def sign(zone, text, keybase, out, denial="nsec", start="now-3600", end="now+315360000", verify=True):
    src = out + ".unsigned"
    write(src, text + dnskey_line(keybase))
    args = ["dnssec-signzone", "-q", "-K", os.path.dirname(keybase), "-d", os.path.dirname(keybase), "-o", zone, "-f", out, "-O", "full",
            "-s", start, "-e", end, "-z"]
    if denial == "nsec3":
        args += ["-3", "-", "-H", "0"]
    if not verify:
        args.append("-P")
    sh(args + [src, keybase + ".key"])


def rr_lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith(";")]


def tamper(zone_out, zone, how, keybase, text, denial):
    lines = rr_lines(zone_out)
    if how == "tlsaRrsigExpired":
        old = zone_out + ".expired"
        sign(zone, text, keybase, old, denial=denial, start="20200101000000", end="20210101000000", verify=False)
        expired = [l for l in rr_lines(old) if l.split()[3] == "RRSIG" and l.split()[4] == "TLSA"]
        if not expired:
            raise ValueError(f"{zone}: no TLSA RRSIG to expire")
        lines = [l for l in lines if not (l.split()[3] == "RRSIG" and l.split()[4] == "TLSA")] + expired
    elif how.startswith("nsecRrsigCorrupt:"):
        owner = how.split(":", 1)[1].lower()
        hit = 0
        for i, l in enumerate(lines):
            f = l.split()
            if f[0].lower() == owner and f[3] == "RRSIG" and f[4] == "NSEC":
                sig = f[-1]
                mid = len(sig) // 2
                f[-1] = sig[:mid] + ("B" if sig[mid] != "B" else "C") + sig[mid + 1:]
                lines[i] = " ".join(f)
                hit += 1
        if hit != 1:
            raise ValueError(f"{zone}: expected one RRSIG NSEC at {owner}, found {hit}")
    else:
        raise ValueError(f"unknown tamper {how}")
    write(zone_out, "\n".join(lines) + "\n")


def main():
    global GOOD_START
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    GOOD_START = (now - datetime.timedelta(days=2)).strftime("%Y%m%d%H%M%SZ")

    with open(os.path.join(LAB, "scenarios.json")) as f:
        cat = json.load(f)
    tmp = RUN + ".gen"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for sub in ("keys", "zones", "certs", "nsd", "unbound", "delv", "logs", "pids"):
        os.makedirs(os.path.join(tmp, sub), exist_ok=True)
    final = RUN  # configuration files name the final paths; the tree is moved there at the end

    ns_name, ns_ip = cat["nameServer"]["name"], cat["nameServer"]["ipv4"]
    ca = Ca(os.path.join(tmp, "certs"))

    # Zones: scenario zones, then test., then the root.
    zones = {}   # name -> dict(spec, records list, scenario)
    for sc in cat["scenarios"]:
        for z in sc.get("zones") or [{"name": sc["domain"]}]:
            zn = fqdn(z["name"])
            if zn in zones:
                raise ValueError(f"zone {zn} defined twice")
            zones[zn] = {"spec": z, "records": [], "scenario": sc["id"]}
            for r in z.get("records", []):
                zones[zn]["records"].append(r)

    def zone_of(name):
        best = None
        for zn in zones:
            if name == zn or name.endswith("." + zn):
                if best is None or len(zn) > len(best):
                    best = zn
        if best is None:
            raise ValueError(f"no lab zone holds {name}")
        return best

    def add(name, rr):
        zn = zone_of(name)
        zones[zn]["records"].append(f"{name} {rr}")

    manifest = {"run": final, "scenarios": [], "listeners": [], "proxies": [], "ipv6": [], "domains": []}
    leaf_jobs = []
    for sc in cat["scenarios"]:
        manifest["domains"].append(sc["domain"])
        dom = fqdn(sc["domain"])
        dzone = zones.get(dom)
        if dzone is not None:
            spec = dzone["spec"]
            has_mx = any("MX" in r.split()[1:4] for r in dzone["records"])
            if not has_mx and not spec.get("noMx") and sc["hosts"]:
                mxn = sc["hosts"][0].get("mxName", sc["hosts"][0]["name"])
                dzone["records"].append(f"@ MX 10 {fqdn(mxn)}")
        for h in sc["hosts"]:
            hid = h["name"].replace(".", "_")
            cert = h.get("cert", {})
            leaf_jobs.append((hid, cert.get("sans", [h["name"]]), cert.get("expired", False), cert.get("selfSigned", False), cert.get("subject")))
            if "ipv6Cert" in h:
                c = h["ipv6Cert"]
                leaf_jobs.append((hid + "-v6", c.get("sans", [h["name"]]), c.get("expired", False), False, None))

        sts = sc.get("mtaSts")
        if sts and sts.get("policy"):
            leaf_jobs.append(("sts_" + sc["id"], sts.get("certSans", ["mta-sts." + sc["domain"]]), sts.get("certExpired", False), False, None))

    # openssl ca keeps a serial and an index: issue leaves one by one.
    leaves, self_signed = {}, set()
    for hid, sans, expired, selfsig, subject in leaf_jobs:
        leaves[hid] = ca.leaf(hid, sans, expired, selfsig, subject)
        if selfsig:
            self_signed.add(hid)
    default_key, default_crt = ca.leaf("recv_default", ["recv.lab.test"], False)
    with open(ca.ica_crt) as f:
        ica_pem = f.read()

    def chain_file(hid, key, crt):
        path = os.path.join(tmp, "certs", hid + ".pem")
        with open(key) as k, open(crt) as c:
            write(path, k.read() + c.read() + ("" if hid in self_signed else ica_pem), 0o600)
        return os.path.join(final, "certs", hid + ".pem")

    default_chain = chain_file("recv_default", default_key, default_crt)
    for sc in cat["scenarios"]:
        for h in sc["hosts"]:
            hid = h["name"].replace(".", "_")
            key, crt = leaves[hid]
            name = fqdn(h["name"])
            values = template_values(crt, ca.ica_crt)
            add(name, f"A {h['ipv4']}")
            if "ipv6" in h:
                add(name, f"AAAA {h['ipv6']}")
            owner = fqdn(h.get("tlsaOwner", "_25._tcp." + h["name"]))
            for t in h.get("tlsa", []):
                add(owner, "TLSA " + fill(t, values))
            # TLS-RPT at the TLSA base domain, the DANE policy domain (RFC 8460 section 1.1).
            for txt in h.get("tlsRptTxt", []):
                add(fqdn("_smtp._tls." + h["name"]), txt_rr(txt))
            smtp = h.get("smtp", {})
            chain = chain_file(hid, key, crt)
            listen4 = h["ipv4"]
            if smtp.get("stripStarttls"):
                listen4 = smtp["backendIpv4"]
                manifest["proxies"].append({"listen": h["ipv4"], "backend": listen4, "host": h["name"]})
            manifest["listeners"].append({"address": listen4, "host": h["name"], "chain": chain,
                                          "starttls": smtp.get("starttls", True)})
            if "ipv6" in h:
                v6chain = chain
                if "ipv6Cert" in h:
                    v6chain = chain_file(hid + "-v6", *leaves[hid + "-v6"])
                manifest["listeners"].append({"address": h["ipv6"], "host": h["name"], "chain": v6chain,
                                              "starttls": smtp.get("starttls", True)})
                manifest["ipv6"].append(h["ipv6"])

    # MTA-STS (RFC 8461): TXT at _mta-sts.<domain>, mta-sts.<domain> on the lab's HTTPS listener: Debian's nginx, one server
    # block per policy host with its certificate and its scripted reply.
    sts_ip = cat.get("mtaStsServer", {}).get("ipv4", "127.0.0.4")
    servers = []
    for sc in cat["scenarios"]:
        sts = sc.get("mtaSts")
        if not sts:
            continue
        dom = sc["domain"]
        for txt in sts.get("txt", []):
            add(fqdn("_mta-sts." + dom), txt_rr(txt))
        # TLS-RPT (RFC 8460 section 3): TXT at _smtp._tls.<domain>, the MTA-STS policy domain.
        for txt in sts.get("tlsRptTxt", []):
            add(fqdn("_smtp._tls." + dom), txt_rr(txt))
        pol = sts.get("policy")
        if pol:
            add(fqdn("mta-sts." + dom), f"A {sts_ip}")
            key, crt = leaves["sts_" + sc["id"]]
            servers.append(("mta-sts." + dom, chain_file("sts_" + sc["id"], key, crt), pol))
    if servers:
        manifest["sts"] = {"listen": sts_ip, "conf": os.path.join(final, "nginx", "nginx.conf")}
        write(os.path.join(tmp, "nginx", "nginx.conf"), nginx_conf(servers, sts_ip, tmp, final))

    # Sign scenario zones (in parallel: two cores), then test. with their DS, then the root.
    keydir = os.path.join(tmp, "keys")
    ds_for = {}

    def build_zone(zn):
        z = zones[zn]
        spec = z["spec"]
        if spec.get("unreachable"):
            return zn, None
        body = [f"$ORIGIN {zn}", f"{zn} {SOA_TAIL}", f"{zn} 3600 IN NS {ns_name}"]
        body += z["records"]
        text = "\n".join(body) + "\n"
        out = os.path.join(tmp, "zones", zn.rstrip(".") + ".zone")
        if spec.get("signed", True):
            kb = keygen(keydir, zn)
            denial = spec.get("denial", "nsec")
            sign(zn, text, kb, out, denial=denial)
            for how in spec.get("tamper", []):
                tamper(out, zn, how, kb, text, denial)
            if spec.get("ds", "good") == "mismatch":
                decoy = keygen(keydir, zn)  # never published: the DS matches no DNSKEY of the zone
                return zn, ds_lines(decoy)
            if spec.get("ds", "good") == "none":
                return zn, None  # signed, but no DS in test.: an insecure delegation (DS missing at the registrar)
            return zn, ds_lines(kb)
        write(out, text)
        return zn, None

    with ThreadPoolExecutor(max_workers=2) as pool:
        for zn, ds in pool.map(build_zone, list(zones)):
            ds_for[zn] = ds

    test_body = ["$ORIGIN test.", f"test. {SOA_TAIL}", f"test. 3600 IN NS {ns_name}", f"{ns_name} 3600 IN A {ns_ip}",
                 f"ns.blackhole.test. 3600 IN A {cat['blackholeIpv4']}"]
    for zn in sorted(zones):
        if zones[zn]["spec"].get("unreachable"):
            test_body.append(f"{zn} 3600 IN NS ns.blackhole.test.")
            continue
        test_body.append(f"{zn} 3600 IN NS {ns_name}")
        if ds_for[zn]:
            test_body.append(ds_for[zn])
    # Benchmark zones (build.ps1 -Task Bench): only when DANELAB_BENCH_DOMAINS is set; nothing changes otherwise.
    bench_root, bench_nsd = [], ""
    if bench_gen.enabled():
        bench_root, bench_nsd = bench_gen.generate(tmp, final, ns_name, manifest)
    test_key = keygen(keydir, "test.")
    sign("test.", "\n".join(test_body) + "\n", test_key, os.path.join(tmp, "zones", "test.zone"))
    root_body = ["$ORIGIN .", f". {SOA_TAIL}", f". 3600 IN NS {ns_name}", f"test. 3600 IN NS {ns_name}",
                 f"{ns_name} 3600 IN A {ns_ip}", ds_lines(test_key)] + bench_root
    root_key = keygen(keydir, ".")
    sign(".", "\n".join(root_body) + "\n", root_key, os.path.join(tmp, "zones", "root.zone"))
    wrong_key = keygen(keydir, ".")  # a root key that signs nothing: the wrong trust anchor

    def anchors(kb, tag):
        ds = ds_lines(kb)
        write(os.path.join(tmp, "unbound", f"{tag}.anchor"), ds + "\n")
        f = ds.split()
        # ". IN DS <tag> <alg> <digest type> <digest>"
        i = f.index("DS")
        write(os.path.join(tmp, "delv", f"{tag}.conf"),
              f'trust-anchors {{\n  . static-ds {f[i+1]} {f[i+2]} {f[i+3]} "{"".join(f[i+4:])}";\n}};\n')
    anchors(root_key, "good")
    anchors(wrong_key, "wrong")
    shutil.copy(os.path.join(tmp, "unbound", "good.anchor"), os.path.join(tmp, "unbound", "active.anchor"))

    # NSD
    nsd_zones = "".join(f'zone:\n  name: "{zn}"\n  zonefile: "{final}/zones/{zn.rstrip(".")}.zone"\n' for zn in sorted(zones)
                    if not zones[zn]["spec"].get("unreachable"))
    nsd_zones += f'zone:\n  name: "test."\n  zonefile: "{final}/zones/test.zone"\n'
    nsd_zones += f'zone:\n  name: "."\n  zonefile: "{final}/zones/root.zone"\n'
    nsd_zones += bench_nsd
    bench_nsd_server = bench_gen.nsd_options() if bench_gen.enabled() else ""
    write(os.path.join(tmp, "nsd", "nsd.conf"), f"""server:
  ip-address: {ns_ip}
  port: 53
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonelistfile: "{final}/nsd/zone.list"
  xfrdfile: "{final}/nsd/xfrd.state"
  xfrdir: "{final}/nsd"
  pidfile: "{final}/pids/nsd.pid"
  logfile: "{final}/logs/nsd.log"
  server-count: 1
{bench_nsd_server}  verbosity: 1
  hide-version: yes
  reuseport: no
remote-control:
  control-enable: no
{nsd_zones}""")

    # Unbound: validating, private root as trust anchor, test. unblocked, may query 127/8.
    write(os.path.join(tmp, "unbound", "root.hints"), f". 3600 IN NS {ns_name}\n{ns_name} 3600 IN A {ns_ip}\n")
    r = cat["resolver"]
    limits = {"outgoing-range": 64, "num-queries-per-thread": 64}
    bench_server, remote = "", "remote-control:\n  control-enable: no\n"
    if bench_gen.enabled():
        bench_server, remote, more = bench_gen.unbound_options(final)
        limits.update(more)
    write(os.path.join(tmp, "unbound", "unbound.conf"), f"""server:
  verbosity: 1
  interface: {r['ipv4']}
  interface: {r['ipv6']}
  port: 53
  do-daemonize: yes
  username: ""
  chroot: ""
  directory: "{final}/unbound"
  pidfile: "{final}/pids/unbound.pid"
  logfile: "{final}/logs/unbound.log"
  use-syslog: no
  num-threads: 1
  so-reuseport: no
  outgoing-range: {limits['outgoing-range']}
  num-queries-per-thread: {limits['num-queries-per-thread']}
  access-control: 127.0.0.0/8 allow
  access-control: ::1/128 allow
  do-not-query-localhost: no
  do-ip6: yes
  root-hints: "{final}/unbound/root.hints"
  trust-anchor-file: "{final}/unbound/active.anchor"
  local-zone: "test." nodefault
  module-config: "validator iterator"
  val-log-level: 2
  log-servfail: yes
  val-bogus-ttl: 5
  infra-host-ttl: 30
  harden-dnssec-stripped: yes
{bench_server}{remote}""")

    # Postfix: receiving master (one listener per host address) and the DANE-enforcing sender.
    domains = sorted({d for d in manifest["domains"]} | {fqdn(h["name"]).rstrip(".") for sc in cat["scenarios"] for h in sc["hosts"]})
    master_dist = open("/etc/postfix/master.cf").read() if os.path.exists("/etc/postfix/master.cf") else open("/usr/share/postfix/master.cf.dist").read()
    base_services = []
    for line in master_dist.splitlines():
        if line.startswith("smtp      inet") or line.startswith("smtp inet"):
            continue
        base_services.append(line)
    base = "\n".join(base_services) + "\n"

    def postfix_instance(name, main, listeners):
        d = os.path.join(tmp, name)
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, "main.cf"), main)
        write(os.path.join(d, "master.cf"), base + listeners)
        import pwd
        pf = pwd.getpwnam("postfix")
        os.makedirs(os.path.join(d, "queue"), exist_ok=True)
        os.makedirs(os.path.join(d, "data"), exist_ok=True)
        os.chown(os.path.join(d, "data"), pf.pw_uid, pf.pw_gid)

    common = f"""compatibility_level = 3.6
biff = no
append_dot_mydomain = no
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_protocols = all
smtputf8_enable = no
mailbox_size_limit = 0
message_size_limit = 10240000
maillog_file_prefixes = {final}/logs
"""
    lst = []
    for l in manifest["listeners"]:
        addr = l["address"]
        a = f"[{addr}]:25" if ":" in addr else f"{addr}:25"
        opts = f" -o myhostname={l['host']} -o syslog_name=postfix-recv/{l['host']}"
        if l["starttls"]:
            opts += f" -o smtpd_tls_security_level=may -o smtpd_tls_chain_files={l['chain']}"
        else:
            opts += " -o smtpd_tls_security_level=none"
        lst.append(f"{a} inet n - n - - smtpd{opts}")
    # virtual(8) refuses $n substitution from regexp tables: list every domain (probe@ and a catch-all)
    write(os.path.join(tmp, "postfix-recv", "vmailbox"),
          "".join(f"probe@{d} {d}/probe/\n@{d} {d}/catchall/\n" for d in domains))
    postfix_instance("postfix-recv", common + f"""queue_directory = {final}/postfix-recv/queue
data_directory = {final}/postfix-recv/data
maillog_file = {final}/logs/postfix-recv.log
myhostname = recv.lab.test
inet_interfaces = all
mynetworks = 127.0.0.0/8 [::1]/128 [fd00:da4e::]/64
smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination
virtual_mailbox_domains = {" ".join(domains)}
virtual_mailbox_base = {final}/maildir
virtual_mailbox_maps = texthash:{final}/postfix-recv/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
smtpd_tls_security_level = may
smtpd_tls_chain_files = {default_chain}
smtpd_tls_loglevel = 1
""" + bench_gen.postfix_recv_options(), "\n".join(lst) + "\n")
    sender_ip = cat["sender"]["ipv4"]

    def sender_main(name, ip, hostname, extra=""):
        # inet_interfaces names only the sender's own listener address: with "all" the lab's IPv6 MX addresses
        # (on danelab0) would count as "myself" and mail for them would bounce as a mail loop
        return common + f"""queue_directory = {final}/{name}/queue
data_directory = {final}/{name}/data
maillog_file = {final}/logs/{name}.log
myhostname = {hostname}
inet_interfaces = {ip}
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks reject
relayhost =
smtp_host_lookup = dns
smtp_dns_support_level = dnssec
smtp_tls_security_level = dane
smtp_tls_loglevel = 1
smtp_connect_timeout = 10s
smtp_helo_timeout = 10s
smtp_starttls_timeout = 10s
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 7200s
notify_classes =
""" + extra

    postfix_instance("postfix-send", sender_main("postfix-send", sender_ip, "sender.lab.test"), f"{sender_ip}:25 inet n - n - - smtpd\n")
    # The MTA-STS sender: the same DANE sender with Debian's postfix-mta-sts-resolver daemon as its TLS policy map
    # (socketmap, the resolver's README) and the lab CA for the "secure" level the daemon answers for enforce policies.
    sts_sender = cat.get("stsSender")
    if sts_sender and servers:
        ip, port = sts_sender["ipv4"], sts_sender["daemonPort"]
        postfix_instance("postfix-sts", sender_main("postfix-sts", ip, "sts-sender.lab.test",
                                                     f"smtp_tls_policy_maps = socketmap:inet:{ip}:{port}:postfix\n"
                                                     f"smtp_tls_CAfile = {final}/certs/ca/root.crt\n"),
                         f"{ip}:25 inet n - n - - smtpd\n")
        write(os.path.join(tmp, "mta-sts-daemon", "mta-sts-daemon.yml"), f"""# DaneTools lab: postfix-mta-sts-resolver's daemon (gen.py)
host: {ip}
port: {port}
reuse_port: true
shutdown_timeout: 1
cache:
  type: internal
default_zone:
  strict_testing: false
  timeout: 10
""")
        manifest["stsSender"] = {"address": ip, "daemonPort": port, "config": os.path.join(final, "mta-sts-daemon", "mta-sts-daemon.yml")}

    # Manifest and the catalogue copy peers.py reads.
    manifest["nameServer"] = ns_ip
    manifest["resolver"] = r
    manifest["sender"] = sender_ip
    manifest["rootCa"] = os.path.join(final, "certs", "ca", "root.crt")
    write(os.path.join(tmp, "lab-manifest.json"), json.dumps(manifest, indent=2) + "\n")
    os.makedirs(os.path.join(tmp, "maildir"), exist_ok=True)
    os.chown(os.path.join(tmp, "maildir"), 65534, 65534)

    # Replace the run tree atomically (lab.sh calls gen.py only with the lab down).
    if os.path.exists(final):
        shutil.rmtree(final)
    os.rename(tmp, final)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - report and fail
        print(f"gen.py: {e}", file=sys.stderr)
        sys.exit(1)
