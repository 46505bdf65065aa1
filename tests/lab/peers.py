#!/usr/bin/env python3
"""Peer verdicts for every lab scenario: delv, posttls-finger, the DANE-enforcing Postfix sender and, where the
scenario publishes MTA-STS, Debian's postfix-mta-sts-resolver (mta-sts-query, trusting the lab CA via SSL_CERT_FILE)
and the MTA-STS Postfix sender (its mta-sts-daemon as TLS policy map; peers.postfixStsSender).

Runs INSIDE the danelab namespace (lab.sh peers starts it with ip netns exec). Writes
run/peer-verdicts.json (or run/peer-verdicts-wrong-anchor.json) with the catalogue's expected value beside the
observed one for each scenario and peer. Exit status: 0 when every observed verdict matches, 3 otherwise.

--wrong-anchor: swap Unbound's and delv's trust anchor for a root key that signs nothing, run, then restore the
right anchor; every validated answer turns bogus, so the verdicts must stop matching (the harness can fail).
--check-listeners: exit 0 when every SMTP listener of the lab answers with a 220 banner.
"""
import argparse
import json
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

LAB = os.path.dirname(os.path.abspath(__file__))
RUN = os.environ.get("DANELAB_RUN", os.path.join(LAB, "run"))


def load():
    with open(os.path.join(LAB, "scenarios.json")) as f:
        cat = json.load(f)
    with open(os.path.join(RUN, "lab-manifest.json")) as f:
        man = json.load(f)
    return cat, man


def in_namespace():
    try:
        ns = os.environ.get("DANELAB_NS", "danelab")
        return os.stat("/proc/self/ns/net").st_ino == os.stat(f"/run/netns/{ns}").st_ino
    except OSError:
        return False


def check_listeners(man):
    addrs = [l["address"] for l in man["listeners"]] + [p["listen"] for p in man["proxies"]] + [man["sender"]]
    if man.get("stsSender"):
        addrs.append(man["stsSender"]["address"])
        socket.create_connection((man["stsSender"]["address"], man["stsSender"]["daemonPort"]), timeout=2).close()
    for a in addrs:
        fam = socket.AF_INET6 if ":" in a else socket.AF_INET
        with socket.socket(fam, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect((a, 25))
            if not s.recv(512).startswith(b"220"):
                return 1
    return 0


# ---------------------------------------------------------------- delv

def delv_class(out):
    """Verdict class of delv's output: its first ';' comment line (RFC 4035 5 statuses as delv words them)."""
    for line in out.splitlines():
        s = line.strip()
        if s.startswith(";; resolution failed"):
            return "resolution failed"
        if s.startswith("; ") and not s.startswith(";;"):
            return s[2:].strip()
    return "no verdict"


def run_delv(q, anchor_conf):
    args = ["delv", "@127.0.0.1", "-a", anchor_conf, "+root=.", q["name"], q["type"]]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    out = (r.stdout + r.stderr).strip()
    return delv_class(out), out


# The catalogue's DNSSEC statuses (expected.dnssec, expected.hosts[].dnssec) as delv verdict classes.
DELV_FOR_STATUS = {
    "Secure": ["fully validated", "negative response, fully validated"],
    "Insecure": ["unsigned answer", "negative response, unsigned answer"],
    "Bogus": ["resolution failed"],
    "Indeterminate": ["resolution failed"],
}


def derived_delv(sc):
    """delv checks derived from the expected DNSSEC status of the MX, address and TLSA lookups."""
    explicit = {(q["name"].rstrip(".").lower(), q["type"]) for q in sc["peers"].get("delv", [])}
    out = []

    def add(name, rtype, status):
        key = (name.rstrip(".").lower(), rtype)
        if status and key not in explicit:
            explicit.add(key)
            out.append({"name": name, "type": rtype, "expectAnyOf": DELV_FOR_STATUS[status], "derivedFrom": status})

    exp = sc["expected"]
    add(sc["domain"], "MX", exp["dnssec"].get("mx"))
    for h in exp["hosts"]:
        d = h.get("dnssec", {})
        add(h["name"], "A", d.get("address"))
        add("_25._tcp." + h.get("tlsaBaseDomain", h["name"]), "TLSA", d.get("tlsa"))
    return out


# ---------------------------------------------------------------- posttls-finger

def ptf_class(out):
    """Verdict class of posttls-finger's output (it exits 0 whatever happens)."""
    m = re.search(r"(Verified|Trusted|Untrusted|Anonymous) TLS connection established", out)
    if m:
        return m.group(1)
    if re.search(r"null MX|nullmx|does not accept mail", out, re.I):
        return "NullMx"
    if re.search(r"STARTTLS not supported|not offered|TLS is required, but|no STARTTLS", out, re.I):
        return "NoStartTls"
    # posttls-finger says nothing when the EHLO reply lacks STARTTLS: it just QUITs without trying
    if re.search(r"^posttls-finger: > EHLO", out, re.M) and not re.search(r"^posttls-finger: > STARTTLS", out, re.M) \
            and not re.search(r"^posttls-finger: < 250[- ]STARTTLS", out, re.M):
        return "NoStartTls"
    if re.search(r"TLSA lookup error|MX lookup error|DNS lookup error|Name service error|Host or domain name not found"
                 r"|No MX host|lookup error|validation error|unusable", out, re.I):
        return "DnsFailure"
    if re.search(r"Connection refused|Connection timed out|Network is unreachable", out):
        return "ConnectFailed"
    return "Unknown"


def run_ptf(domain, args, ca):
    cmd = ["posttls-finger", "-t", "5", "-T", "10", "-l", "dane", "-F", ca] + args + [domain]
    env = dict(os.environ, MAIL_CONFIG=os.path.join(RUN, "postfix-send"))  # its main.cf: no /etc/postfix/main.cf here
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    out = (r.stdout + r.stderr).strip()
    return ptf_class(out), out


# ---------------------------------------------------------------- Postfix DANE sender

def mts_class(out):
    """mta-sts-query's verdict: '<mode> <id>' for a valid policy, 'fetch-error', 'none' (no policy) or 'unknown'."""
    m = re.search(r"STSFetchResult\.VALID.*?\('([^']*)', \{.*?'mode': '([a-z]+)'", out)
    if m:
        return f"{m.group(2)} {m.group(1)}"
    for word, verdict in (("FETCH_ERROR", "fetch-error"), ("NONE", "none")):
        if f"STSFetchResult.{word}" in out:
            return verdict
    return "unknown"


def run_mts(domain, ca):
    try:
        r = subprocess.run(["mta-sts-query", domain], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SSL_CERT_FILE=ca))
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unknown", str(e)
    out = r.stdout + r.stderr
    return mts_class(out), out


def send_all(scenarios, sender):
    """Send one message per scenario through a sender instance; returns {scenario id: (queue id, message id)}."""
    sent = {}
    for sc in scenarios:
        mid = f"<{uuid.uuid4()}@sender.lab.test>"
        msg = (f"From: lab <probe@sender.lab.test>\r\nTo: probe@{sc['domain']}\r\nSubject: lab scenario {sc['id']}\r\n"
               f"Message-ID: {mid}\r\n\r\nDaneTools lab probe for {sc['id']}\r\n")
        with smtplib.SMTP(sender, 25, timeout=30) as s:
            s.ehlo("peers.lab.test")
            s.mail("")
            code, _ = s.rcpt(f"probe@{sc['domain']}")
            if code != 250:
                raise RuntimeError(f"sender refused recipient for {sc['id']}: {code}")
            code, resp = s.data(msg.encode())
            m = re.search(rb"queued as ([0-9A-Za-z]+)", resp)
            if code != 250 or not m:
                raise RuntimeError(f"sender did not queue {sc['id']}: {code} {resp!r}")
            sent[sc["id"]] = (m.group(1).decode(), mid)
    return sent


def sender_outcomes(sent, log_path, offset, deadline):
    pending = dict(sent)
    results = {}
    text = ""
    while pending and time.time() < deadline:
        time.sleep(0.5)
        with open(log_path, errors="replace") as f:
            f.seek(offset)
            text = f.read()
        for sid, (qid, _) in list(pending.items()):
            m = re.search(rf"{qid}: to=<[^>]*>, relay=([^,]*),.* status=(sent|deferred|bounced) \((.*)\)", text)
            if m:
                relay = m.group(1)
                outcome = {"sent": "delivered"}.get(m.group(2), m.group(2))
                via = relay.split("[")[0] if "[" in relay else None
                tls = None
                if via:
                    # the session that carried the message: same host AND address (another address may have failed)
                    t = re.search(rf"(Verified|Trusted|Untrusted|Anonymous) TLS connection established to {re.escape(relay.rsplit(':', 1)[0])}:", text)
                    tls = t.group(1) if t else "none"
                results[sid] = {"outcome": outcome, "via": via, "tls": tls, "detail": m.group(3)[:300]}
                del pending[sid]
    for sid in pending:
        results[sid] = {"outcome": "no result", "via": None, "tls": None, "detail": "no status line within the time limit"}
    return results


def maildir_has(domain, message_id):
    d = os.path.join(RUN, "maildir", domain, "probe", "new")
    if not os.path.isdir(d):
        return False
    for name in os.listdir(d):
        with open(os.path.join(d, name), errors="replace") as f:
            if message_id in f.read():
                return True
    return False


# ---------------------------------------------------------------- anchors

def restart_unbound(anchor):
    ub = os.path.join(RUN, "unbound")
    with open(os.path.join(ub, f"{anchor}.anchor")) as src, open(os.path.join(ub, "active.anchor"), "w") as dst:
        dst.write(src.read())
    pidfile = os.path.join(RUN, "pids", "unbound.pid")
    try:
        pid = int(open(pidfile).read().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    except (OSError, ValueError):
        pass
    subprocess.run(["unbound", "-c", os.path.join(ub, "unbound.conf")], check=True)
    for _ in range(100):
        r = subprocess.run(["dig", "+time=1", "+tries=1", "@127.0.0.1", ".", "SOA"], capture_output=True, text=True)
        if "status:" in r.stdout:
            return
        time.sleep(0.1)
    raise RuntimeError("Unbound did not come back")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wrong-anchor", action="store_true")
    ap.add_argument("--check-listeners", action="store_true")
    ap.add_argument("--only", help="comma-separated scenario ids")
    args = ap.parse_args()
    if not in_namespace():
        print("peers.py must run inside the danelab namespace (use lab.sh peers)", file=sys.stderr)
        return 2
    cat, man = load()
    if args.check_listeners:
        try:
            return check_listeners(man)
        except OSError:
            return 1
    if args.only:
        keep = set(args.only.split(","))
        cat["scenarios"] = [s for s in cat["scenarios"] if s["id"] in keep]
    anchor = "wrong" if args.wrong_anchor else "good"
    anchor_conf = os.path.join(RUN, "delv", f"{anchor}.conf")
    started = time.time()
    if args.wrong_anchor:
        restart_unbound("wrong")
    try:
        # The DANE sender for every scenario; the MTA-STS sender (postfix-mta-sts-resolver's daemon as its TLS policy map)
        # for the scenarios that name a postfixStsSender verdict.
        senders = [("postfixSender", "postfix-send", man["sender"], cat["scenarios"])]
        if man.get("stsSender"):
            senders.append(("postfixStsSender", "postfix-sts", man["stsSender"]["address"],
                            [sc for sc in cat["scenarios"] if "postfixStsSender" in sc["peers"]]))
        runs = []
        for key, inst, address, scenarios in senders:
            subprocess.run(["postsuper", "-c", os.path.join(RUN, inst), "-d", "ALL"], capture_output=True)
            log_path = os.path.join(RUN, "logs", inst + ".log")
            offset = os.path.getsize(log_path) if os.path.exists(log_path) else 0
            runs.append((key, log_path, offset, send_all(scenarios, address)))
        deadline = time.time() + 90

        jobs = []
        with ThreadPoolExecutor(max_workers=4) as pool:
            for sc in cat["scenarios"]:
                for q in sc["peers"].get("delv", []) + derived_delv(sc):
                    jobs.append((sc["id"], "delv", q, pool.submit(run_delv, q, anchor_conf)))
                for p in sc["peers"].get("postTlsFinger", []):
                    jobs.append((sc["id"], "ptf", p, pool.submit(run_ptf, sc["domain"], p["args"], man["rootCa"])))
                for p in sc["peers"].get("mtaStsQuery", []):
                    jobs.append((sc["id"], "mts", p, pool.submit(run_mts, sc["domain"], man["rootCa"])))
            outcomes = {key: (sent, sender_outcomes(sent, log_path, offset, deadline)) for key, log_path, offset, sent in runs}
        results = {sc["id"]: {"id": sc["id"], "domain": sc["domain"], "why": sc.get("why"), "delv": [], "postTlsFinger": [],
                              "mtaStsQuery": [], "postfixSender": None, "postfixStsSender": None}
                   for sc in cat["scenarios"]}
        for sid, kind, spec, fut in jobs:
            observed, raw = fut.result()
            entry = dict(spec)
            ok = observed in spec["expectAnyOf"] if "expectAnyOf" in spec else observed == spec["expect"]
            entry.update({"observed": observed, "match": ok, "output": raw[-4000:]})
            results[sid]["delv" if kind == "delv" else "postTlsFinger" if kind == "ptf" else "mtaStsQuery"].append(entry)
        for key, (sent, sender) in outcomes.items():
            for sc in cat["scenarios"]:
                if sc["id"] not in sent:
                    continue
                exp = sc["peers"][key]
                obs = sender[sc["id"]]
                if obs["outcome"] == "delivered":
                    obs["maildir"] = maildir_has(sc["domain"], sent[sc["id"]][1])
                ok = obs["outcome"] == exp["outcome"] and all(obs.get(k) == exp[k] for k in ("via", "tls") if k in exp)
                if obs["outcome"] == "delivered" and not obs.get("maildir"):
                    ok = False
                results[sc["id"]][key] = {"expect": exp, "observed": obs, "match": ok}
    finally:
        if args.wrong_anchor:
            restart_unbound("good")

    total = mismatches = 0
    for r in results.values():
        checks = [e["match"] for e in r["delv"] + r["postTlsFinger"] + r["mtaStsQuery"]] + [r["postfixSender"]["match"]]
        if r["postfixStsSender"]:
            checks.append(r["postfixStsSender"]["match"])
        r["match"] = all(checks)
        total += len(checks)
        mismatches += checks.count(False)
    report = {"anchor": anchor, "seconds": round(time.time() - started, 1), "checks": total, "mismatches": mismatches,
              "allMatch": mismatches == 0, "scenarios": list(results.values())}
    name = "peer-verdicts.json" if anchor == "good" else "peer-verdicts-wrong-anchor.json"
    with open(os.path.join(RUN, name), "w") as f:
        json.dump(report, f, indent=2)
    for r in report["scenarios"]:
        bad = [f"delv {e['name']}/{e['type']}: expected {e.get('expect', e.get('expectAnyOf'))!r}, got {e['observed']!r}" for e in r["delv"] if not e["match"]]
        bad += [f"posttls-finger {' '.join(e['args'])}: expected {e['expect']!r}, got {e['observed']!r}" for e in r["postTlsFinger"] if not e["match"]]
        bad += [f"mta-sts-query: expected {e['expect']!r}, got {e['observed']!r}" for e in r["mtaStsQuery"] if not e["match"]]
        for key, label in (("postfixSender", "postfix sender"), ("postfixStsSender", "postfix MTA-STS sender")):
            ps = r[key]
            if ps and not ps["match"]:
                bad.append(f"{label}: expected {ps['expect']}, got {ps['observed']}")
        print(f"{'ok  ' if r['match'] else 'FAIL'} {r['id']}" + "".join("\n       " + b for b in bad))
    print(f"{anchor} anchor: {total - mismatches}/{total} peer verdicts match the catalogue ({report['seconds']} s)")
    return 0 if mismatches == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
