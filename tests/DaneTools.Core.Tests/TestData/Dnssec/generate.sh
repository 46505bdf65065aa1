#!/usr/bin/env bash
# Regenerates the DNSSEC validator fixtures in this folder (one folder per case: responses.txt, case.json).
#
# What it does: builds a private hierarchy (root ".", TLD "test.", one zone per case under test.), signs it
# with BIND's dnssec-signzone (ldns-signzone for NSEC3 with 151 iterations, which BIND 9.18 refuses), applies
# the tampering each case needs with a small Python helper (documented in each case.json "source"), serves
# every zone from one NSD on 127.0.0.1:<high port>, records the answers with `dig +dnssec +norecurse` and
# delv's verdict (trust anchor: the private root's DS), then stops NSD and removes its temp dir.
#
# A second opinion comes from Unbound (unbound-host, forwarding to the NSD, with val-override-date set to the
# pinned validation time; delv has no such option and validates at the real clock, so every window below is
# chosen to give the same verdict today and at the pinned time).
#
# Needs (Debian 12): apt-get install -y bind9-utils bind9-dnsutils ldnsutils nsd unbound-host ; python3 (stdlib only;
# the "cryptography" package (Debian: python3-cryptography) for the KeyTrap case's RSA signatures).
# Takes about 25 s on 2 cores.
# Usage: ./generate.sh            (PORT=<n> to pick the port, KEEP=1 to keep the work dir)
# Signatures are randomized (ECDSA) and keys are new on every run, so a re-run changes every file.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in dnssec-keygen dnssec-signzone dnssec-dsfromkey dnssec-revoke ldns-signzone ldns-keygen nsd dig delv unbound-host python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y bind9-utils bind9-dnsutils ldnsutils nsd unbound-host)" >&2; exit 1; }
done

T0=$(date +%s)
WORK=$(mktemp -d /tmp/dnssec-fixtures.XXXXXX)
NSD_PID=""
cleanup() {
  if [[ -n "$NSD_PID" ]] && kill -0 "$NSD_PID" 2>/dev/null; then kill "$NSD_PID"; wait "$NSD_PID" 2>/dev/null || true; fi
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
START=20260101000000          # RRSIG inception for normal signatures
END=20360101000000            # RRSIG expiration for normal signatures
VALIDATION_TIME=2027-01-01T00:00:00Z
KEYS=$WORK/keys; Z=$WORK/zones; S=$WORK/signed; DSD=$WORK/ds
DSSET=$WORK/dsset
mkdir -p "$KEYS" "$Z" "$S" "$DSD" "$DSSET"
cd "$WORK"   # tools that write into the current directory (ldns-keygen) write here
PY=$WORK/craft.py

# ---------------------------------------------------------------------------------------------------------
# Python helper: zone-file surgery on signed zones (full format: one RR per line, owner TTL class type rdata),
# crafted keys/DS records, parsing dig output into the contract's block format, writing case.json.
cat > "$PY" <<'PYEOF'
import base64, hashlib, json, os, random, re, struct, sys

def wire(name):
    name = name.rstrip('.')
    out = b''
    if name:
        for label in name.split('.'):
            out += bytes([len(label)]) + label.lower().encode()
    return out + b'\x00'

def keytag(rdata):
    acc = 0
    for i, b in enumerate(rdata):
        acc += b if i & 1 else b << 8
    acc += (acc >> 16) & 0xFFFF
    return acc & 0xFFFF

def dnskey_rdata(flags, proto, alg, key_b64):
    return struct.pack('!HBB', int(flags), int(proto), int(alg)) + base64.b64decode(key_b64)

def parse_rr(line):
    f = line.split()
    return {'owner': f[0], 'ttl': f[1], 'cls': f[2], 'type': f[3], 'rdata': f[4:]}

def fmt_rr(rr):
    return ' '.join([rr['owner'], rr['ttl'], rr['cls'], rr['type']] + rr['rdata'])

def load(path):
    rrs = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith(';') or line.startswith('$'):
            continue
        rrs.append(parse_rr(line))
    return rrs

def save(path, rrs):
    with open(path, 'w') as f:
        for rr in rrs:
            f.write(fmt_rr(rr) + '\n')

def same(a, b):
    return a.rstrip('.').lower() == b.rstrip('.').lower()

def is_sig_for(rr, owner, rtype):
    return rr['type'] == 'RRSIG' and same(rr['owner'], owner) and rr['rdata'][0] == rtype

def ds_line(owner, ttl, flags, proto, alg, key_b64, digest_type):
    rd = dnskey_rdata(flags, proto, alg, key_b64)
    h = {1: hashlib.sha1, 2: hashlib.sha256, 4: hashlib.sha384}[digest_type]
    digest = h(wire(owner) + rd).hexdigest().upper()
    return f'{owner} {ttl} IN DS {keytag(rd)} {alg} {digest_type} {digest}'

def cmd_swap_rrsig(zone, owner, rtype, donor, donor_owner=None):
    """Replace the RRSIG(s) covering owner/rtype in zone with the donor file's RRSIG(s) for donor_owner/rtype."""
    donor_owner = donor_owner or owner
    sigs = [dict(r) for r in load(donor) if is_sig_for(r, donor_owner, rtype)]
    assert sigs, f'no donor RRSIG {donor_owner}/{rtype} in {donor}'
    rrs = load(zone)
    idx = [i for i, r in enumerate(rrs) if is_sig_for(r, owner, rtype)]
    assert idx, f'no RRSIG {owner}/{rtype} in {zone}'
    for s in sigs:
        s['owner'] = rrs[idx[0]]['owner']
    rrs = rrs[:idx[0]] + sigs + [r for i, r in enumerate(rrs) if i > idx[0] and i not in idx]
    save(zone, rrs)

def cmd_drop(zone, owner, rtype):
    """Remove the RRset owner/rtype (rtype may be RRSIG:<covered>)."""
    rrs = load(zone)
    if rtype.startswith('RRSIG:'):
        keep = [r for r in rrs if not is_sig_for(r, owner, rtype[6:])]
    else:
        keep = [r for r in rrs if not (same(r['owner'], owner) and r['type'] == rtype)]
    assert len(keep) < len(rrs), f'nothing to drop for {owner}/{rtype}'
    save(zone, keep)

def cmd_set_rdata(zone, owner, rtype, *rdata):
    rrs = load(zone)
    hit = [r for r in rrs if same(r['owner'], owner) and r['type'] == rtype]
    assert len(hit) == 1
    hit[0]['rdata'] = list(rdata)
    save(zone, rrs)

def cmd_set_ttl(zone, owner, rtype, ttl):
    """Lower the TTL of owner/rtype and of its RRSIG (as a cache does), leaving the RRSIG original TTL."""
    rrs = load(zone)
    n = 0
    for r in rrs:
        if same(r['owner'], owner) and (r['type'] == rtype or is_sig_for(r, owner, rtype)):
            r['ttl'] = ttl; n += 1
    assert n >= 2
    save(zone, rrs)

def cmd_realg(zone, new_alg):
    """Rewrite every DNSKEY and RRSIG algorithm field to new_alg, fixing RRSIG key tags to the rewritten keys."""
    rrs = load(zone)
    tagmap = {}
    for r in rrs:
        if r['type'] == 'DNSKEY':
            old = keytag(dnskey_rdata(r['rdata'][0], r['rdata'][1], r['rdata'][2], ''.join(r['rdata'][3:])))
            r['rdata'][2] = new_alg
            tagmap[old] = keytag(dnskey_rdata(r['rdata'][0], r['rdata'][1], r['rdata'][2], ''.join(r['rdata'][3:])))
    for r in rrs:
        if r['type'] == 'RRSIG':
            r['rdata'][1] = new_alg
            r['rdata'][6] = str(tagmap[int(r['rdata'][6])])
    save(zone, rrs)

def cmd_ds(zone, owner, flags, digest_type):
    """Print the DS for the DNSKEY with the given flags in zone (used for crafted keys dnssec-dsfromkey refuses)."""
    for r in load(zone):
        if r['type'] == 'DNSKEY' and same(r['owner'], owner) and r['rdata'][0] == flags:
            print(ds_line(r['owner'], 3600, *r['rdata'][:3], ''.join(r['rdata'][3:]), int(digest_type)))
            return
    raise SystemExit(f'no DNSKEY {flags} at {owner}')

def cmd_alter_digest(line):
    """Flip the last hex digit of a DS digest (the DS then matches no DNSKEY)."""
    f = line.split()
    d = f[-1]
    f[-1] = d[:-1] + ('0' if d[-1] != '0' else '1')
    print(' '.join(f))

def cmd_fake_ds(owner, tag, alg, digest_type, length):
    rnd = random.Random(f'{owner}{tag}{alg}{digest_type}')
    digest = ''.join(f'{rnd.randrange(256):02X}' for _ in range(int(length)))
    print(f'{owner} 3600 IN DS {tag} {alg} {digest_type} {digest}')

# --- KeyTrap (CVE-2023-50387) zone: 50 RSA DNSKEYs sharing one key tag, many RRSIGs naming that tag ---------
def cmd_keytrap_keys(owner, out_keys, out_priv, count):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives import serialization
    count = int(count)
    priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    n = priv.public_key().public_numbers().n
    mod = n.to_bytes(256, 'big')
    # RFC 3110 key: exponent length (1 byte), exponent, modulus. Vary a 3-byte odd exponent (never 65537,
    # so no key matches the private key) until `count` keys share one key tag.
    def rdata(e):
        return struct.pack('!HBB', 256, 3, 8) + bytes([3]) + e.to_bytes(3, 'big') + mod
    # The exponent bytes sit at RDATA offsets 5 (low byte of a word), 6 (high), 7 (low): the unfolded key
    # tag sum is that of the other bytes plus e_hi + 256 * e_mid + e_lo (RFC 4034 appendix B).
    base = sum(b if i & 1 else b << 8 for i, b in enumerate(rdata(0)))
    def tag_of(e):
        acc = base + (e >> 16) + ((e >> 8) & 0xFF) * 256 + (e & 0xFF)
        return (acc + ((acc >> 16) & 0xFFFF)) & 0xFFFF
    target = keytag(rdata(0x010003))
    found = []
    e = 0x010003
    while len(found) < count and e < 0xFFFFFF:
        if tag_of(e) == target:
            assert keytag(rdata(e)) == target
            found.append(e)
        e += 2
    assert len(found) == count, 'not enough colliding exponents'
    with open(out_keys, 'w') as f:
        for e in found:
            f.write(f'{owner} 3600 IN DNSKEY 256 3 8 {base64.b64encode(rdata(e)[4:]).decode()}\n')
    with open(out_priv, 'wb') as f:
        f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    print(target)

def cmd_keytrap_sigs(zone, owner, rtype, signer, tag, priv_path, count):
    """Replace owner/rtype's RRSIGs by `count` RSASHA256 RRSIGs naming key tag `tag` (none verifies)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    import calendar, time
    priv = serialization.load_pem_private_key(open(priv_path, 'rb').read(), None)
    rrs = load(zone)
    data = [r for r in rrs if same(r['owner'], owner) and r['type'] == rtype]
    assert rtype == 'A' and data
    ttl = int(data[0]['ttl'])
    labels = len(owner.rstrip('.').split('.'))
    def ts(s):
        return calendar.timegm(time.strptime(s, '%Y%m%d%H%M%S'))
    rdatas = sorted(bytes(int(x) for x in r['rdata'][0].split('.')) for r in data)
    sigs = []
    for i in range(int(count)):
        inc, exp = ts('20260101000000') + i, ts('20360101000000')
        head = struct.pack('!HBBIIIH', 1, 8, labels, ttl, exp, inc, int(tag)) + wire(signer)
        body = b''.join(wire(owner) + struct.pack('!HHIH', 1, 1, ttl, len(rd)) + rd for rd in rdatas)
        sig = priv.sign(head + body, padding.PKCS1v15(), hashes.SHA256())
        sigs.append({'owner': data[0]['owner'], 'ttl': str(ttl), 'cls': 'IN', 'type': 'RRSIG',
                     'rdata': [rtype, '8', str(labels), str(ttl), '20360101000000',
                               time.strftime('%Y%m%d%H%M%S', time.gmtime(inc)), str(tag), signer,
                               base64.b64encode(sig).decode()]})
    i = rrs.index(data[-1])
    rrs = [r for r in rrs if not is_sig_for(r, owner, rtype)]
    i = rrs.index(data[-1])
    save(zone, rrs[:i + 1] + sigs + rrs[i + 1:])

# --- recording --------------------------------------------------------------------------------------------
def cmd_block(qname, qtype, dig_out):
    """Turn `dig` output into one contract block (QUERY, RCODE, ANSWER, AUTHORITY, END)."""
    text = open(dig_out).read()
    m = re.search(r'status: ([A-Z]+),', text)
    assert m, f'no header in dig output for {qname} {qtype}:\n{text}'
    sections = {'ANSWER': [], 'AUTHORITY': []}
    cur = None
    for line in text.splitlines():
        if line.startswith(';; ') and line.endswith(' SECTION:'):
            cur = line[3:-9]
            continue
        if not line.strip():
            cur = None
            continue
        if line.startswith(';'):
            continue
        if cur in sections:
            sections[cur].append(re.sub(r'[ \t]+', ' ', line.strip()))
    out = [f';; QUERY {qname} {qtype}', f';; RCODE {m.group(1)}', ';; ANSWER'] + sections['ANSWER'] \
        + [';; AUTHORITY'] + sections['AUTHORITY'] + [';; END', '']
    sys.stdout.write('\n'.join(out) + '\n')

def cmd_blocks(out, *triples):
    """Write one block per (qname, qtype, dig output file) triple to out."""
    import io, contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        for i in range(0, len(triples), 3):
            cmd_block(*triples[i:i + 3])
    open(out, 'w').write(buf.getvalue())

def read_blocks(path):
    blocks, cur = [], None
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith(';; QUERY '):
            cur = {'q': line, 'lines': [line]}
        elif cur is not None:
            cur['lines'].append(line)
            if line == ';; END':
                blocks.append(cur); cur = None
    return blocks

def write_blocks(path, blocks):
    with open(path, 'w') as f:
        for b in blocks:
            f.write('\n'.join(b['lines']) + '\n\n')

def cmd_strip_authority(path, qname, qtype, *types):
    """Tamper a recorded answer: drop RRs of the given types (and RRSIGs covering them) from AUTHORITY."""
    blocks = read_blocks(path)
    hit = [b for b in blocks if b['q'] == f';; QUERY {qname} {qtype}']
    assert len(hit) == 1
    lines, section, dropped = [], None, 0
    for line in hit[0]['lines']:
        if line.startswith(';; '):
            section = line[3:]
        elif section == 'AUTHORITY':
            rr = parse_rr(line)
            if rr['type'] in types or (rr['type'] == 'RRSIG' and rr['rdata'][0] in types):
                dropped += 1
                continue
        lines.append(line)
    assert dropped, 'nothing stripped'
    hit[0]['lines'] = lines
    write_blocks(path, blocks)

def cmd_order_answer(path, qname, qtype, first_field_index, first_value):
    """Reorder the answer RRset so the record whose rdata field [index] equals value comes first / last."""
    blocks = read_blocks(path)
    hit = [b for b in blocks if b['q'] == f';; QUERY {qname} {qtype}']
    assert len(hit) == 1
    ls = hit[0]['lines']
    a, e = ls.index(';; ANSWER'), ls.index(';; AUTHORITY')
    body = ls[a + 1:e]
    data = [l for l in body if parse_rr(l)['type'] == qtype]
    sigs = [l for l in body if parse_rr(l)['type'] != qtype]
    want = first_value.split(',')
    data.sort(key=lambda l: want.index(parse_rr(l)['rdata'][int(first_field_index)]))
    hit[0]['lines'] = ls[:a + 1] + data + sigs + ls[e:]
    write_blocks(path, blocks)

def cmd_case_json(path, spec_path):
    spec = json.load(open(spec_path))
    with open(path, 'w') as f:
        json.dump(spec, f, indent=2, ensure_ascii=False)
        f.write('\n')

if __name__ == '__main__':
    globals()['cmd_' + sys.argv[1].replace('-', '_')](*sys.argv[2:])
PYEOF
py() { python3 "$PY" "$@"; }

# ---------------------------------------------------------------------------------------------------------
# Keys and signing
keygen() { # keygen <zone> <alg> [ksk|zsk] [bits] -> prints key base path
  local zone=$1 alg=$2 kind=${3:-zsk} bits=${4:-} flags=()
  mkdir -p "$KEYS/$zone"
  [[ $kind == ksk ]] && flags+=(-f KSK)
  [[ -n $bits ]] && flags+=(-b "$bits")
  echo "$KEYS/$zone/$(dnssec-keygen -q -K "$KEYS/$zone" -a "$alg" "${flags[@]}" -L 3600 "$zone")"
}
declare -A KSK ZSK
newkeys() { # newkeys <zone> [alg] [kskbits zskbits]
  local alg=${2:-ECDSAP256SHA256}
  KSK[$1]=$(keygen "$1" "$alg" ksk "${3:-}")
  ZSK[$1]=$(keygen "$1" "$alg" zsk "${4:-}")
}
soa() { # soa <zone>
  printf '$TTL 3600\n%s 3600 IN SOA ns.test. hostmaster.test. 2026010101 7200 3600 1209600 3600\n%s 3600 IN NS ns.test.\n' "$1" "$1"
}
with_keys() { # with_keys <zone> <unsigned zone file>: append the zone's DNSKEYs
  grep -hv '^;' "${KSK[$1]}.key" "${ZSK[$1]}.key" >> "$2"
}
sign() { # sign <zone> <in> <out> [dnssec-signzone options...]; KSK signs the DNSKEY RRset only (-x)
  local zone=$1 in=$2 out=$3; shift 3
  dnssec-signzone -q -x -O full -d "$DSSET" -o "$zone" -s "$START" -e "$END" "$@" -k "${KSK[$zone]}.key" -f "$out" "$in" "${ZSK[$zone]}.key" >/dev/null
}
ds_of() { # ds_of <key base> [digest type]: DS presentation line with TTL
  local ds; ds=$(dnssec-dsfromkey -T 3600 "-${2:-2}" "$1.key" 2>/dev/null)
  [[ -n $ds ]] || { echo "dnssec-dsfromkey gave no DS for $1" >&2; return 1; }
  echo "$ds"
}
# Standard case zone: keys, records from stdin, signed into $S/<zone>; its DS into $DSD/<zone>.
make_zone() { # make_zone <zone> [dnssec-signzone options...] < records
  local zone=$1; shift; echo "   $SECONDS s: zone $zone"
  [[ -n ${KSK[$zone]:-} ]] || newkeys "$zone"
  { soa "$zone"; cat; } > "$Z/$zone"
  with_keys "$zone" "$Z/$zone"
  sign "$zone" "$Z/$zone" "$S/$zone" "$@"
  ds_of "${KSK[$zone]}" > "$DSD/$zone"
}
ZONES=()        # zones NSD serves, file in $S
serve() { ZONES+=("$1"); }

echo "== signing zones (work dir $WORK, port $PORT)"

# secure.test: plain NSEC zone (secure answer, NXDOMAIN and NODATA by NSEC; also the CNAME target)
make_zone secure.test. <<'EOF'
www.secure.test. 3600 IN A 192.0.2.1
mail.secure.test. 3600 IN A 192.0.2.2
EOF
serve secure.test.

# insecure.test: unsigned zone, delegated from the NSEC-signed test. without DS
{ soa insecure.test.; echo 'www.insecure.test. 3600 IN A 192.0.2.10'; } > "$S/insecure.test."
serve insecure.test.

# optout.test: NSEC3 opt-out zone (0 iterations, no salt) with unsigned delegations child. and other.
make_zone optout.test. -3 - -H 0 -A <<'EOF'
www.optout.test. 3600 IN A 192.0.2.20
child.optout.test. 3600 IN NS ns.test.
other.optout.test. 3600 IN NS ns.test.
EOF
serve optout.test.
{ soa child.optout.test.; echo 'www.child.optout.test. 3600 IN A 192.0.2.21'; } > "$S/child.optout.test."
serve child.optout.test.

# expired.test / future.test: the www A RRSIG comes from a second signing run with the same keys and a
# window that ended before / starts after both today and the pinned validation time.
for spec in "expired.test. 20250101000000 20260601000000" "future.test. 20270601000000 20360101000000"; do
  set -- $spec
  make_zone "$1" <<EOF
www.$1 3600 IN A 192.0.2.30
EOF
  START=$2 END=$3 sign "$1" "$Z/$1" "$S/$1.window" -P
  py swap-rrsig "$S/$1" "www.$1" A "$S/$1.window"
  serve "$1"
done

# dsnokey.test: the parent's DS is made from another key that is never published
make_zone dsnokey.test. <<'EOF'
www.dsnokey.test. 3600 IN A 192.0.2.40
EOF
ds_of "$(keygen dsnokey.test. ECDSAP256SHA256 ksk)" > "$DSD/dsnokey.test."
serve dsnokey.test.

# dsmismatch.test: the parent's DS has the real key tag and algorithm but a changed digest
make_zone dsmismatch.test. <<'EOF'
www.dsmismatch.test. 3600 IN A 192.0.2.41
EOF
py alter-digest "$(cat "$DSD/dsmismatch.test.")" > "$DSD/dsmismatch.test."
serve dsmismatch.test.

# norrsig.test: signed, then the RRSIG over www A removed from the served zone
make_zone norrsig.test. <<'EOF'
www.norrsig.test. 3600 IN A 192.0.2.50
EOF
py drop "$S/norrsig.test." www.norrsig.test. RRSIG:A
serve norrsig.test.

# tampered.test: signed, then the A record's address changed in the served zone
make_zone tampered.test. <<'EOF'
www.tampered.test. 3600 IN A 192.0.2.51
EOF
py set-rdata "$S/tampered.test." www.tampered.test. A 192.0.2.66
serve tampered.test.

# revoked.test: the KSK (the only key the DS points to) has the REVOKE bit set (dnssec-revoke) and signs
# the DNSKEY RRset; the DS is made from the revoked key.
newkeys revoked.test.
old=${KSK[revoked.test.]}
KSK[revoked.test.]=$KEYS/revoked.test./$(basename "$(dnssec-revoke -r -K "$KEYS/revoked.test." "$old.key")")
KSK[revoked.test.]=${KSK[revoked.test.]%.key}
{ soa revoked.test.; echo 'www.revoked.test. 3600 IN A 192.0.2.52'; } > "$Z/revoked.test."
with_keys revoked.test. "$Z/revoked.test."
sign revoked.test. "$Z/revoked.test." "$S/revoked.test." -P
# dnssec-dsfromkey refuses revoked keys: the DS (digest 2) is computed by the script over the flags-385 DNSKEY
py ds "$S/revoked.test." revoked.test. 385 2 > "$DSD/revoked.test."
serve revoked.test.

# labels.test: the RRSIG over www A (3 labels) is the real RRSIG made for x.www A (labels field 4)
make_zone labels.test. <<'EOF'
www.labels.test. 3600 IN A 192.0.2.53
x.www.labels.test. 3600 IN A 192.0.2.53
EOF
py swap-rrsig "$S/labels.test." www.labels.test. A "$S/labels.test." x.www.labels.test.
serve labels.test.

# unsupalg.test: signed with algorithm 13, then every DNSKEY/RRSIG relabelled algorithm 12 (ECC-GOST,
# unsupported) with key tags recomputed; the parent's DS (digest 2) is computed over the relabelled KSK.
make_zone unsupalg.test. <<'EOF'
www.unsupalg.test. 3600 IN A 192.0.2.54
EOF
py realg "$S/unsupalg.test." 12
py ds "$S/unsupalg.test." unsupalg.test. 257 2 > "$DSD/unsupalg.test."
serve unsupalg.test.

# dsorder1.test / dsorder2.test: DS RRset = real SHA-256 DS + a DS with unassigned digest type 200
for z in dsorder1.test. dsorder2.test.; do
  make_zone "$z" <<EOF
www.$z 3600 IN A 192.0.2.55
EOF
  read -r _ _ _ _ tag alg _ _ < "$DSD/$z"
  py fake-ds "$z" "$tag" "$alg" 200 32 >> "$DSD/$z"
  serve "$z"
done

# dsunknown.test: the only DS has the real key tag and algorithm but unassigned digest type 200
make_zone dsunknown.test. <<'EOF'
www.dsunknown.test. 3600 IN A 192.0.2.59
EOF
read -r _ _ _ _ tag alg _ _ < "$DSD/dsunknown.test."
py fake-ds dsunknown.test. "$tag" "$alg" 200 32 > "$DSD/dsunknown.test."
serve dsunknown.test.

# dsalgmix.test: DS RRset = algorithm 13 DS (real key tag, changed digest) + algorithm 12 DS (no such key)
make_zone dsalgmix.test. <<'EOF'
www.dsalgmix.test. 3600 IN A 192.0.2.56
EOF
py alter-digest "$(cat "$DSD/dsalgmix.test.")" > "$DSD/dsalgmix.test.tmp"
py fake-ds dsalgmix.test. 4242 12 2 32 >> "$DSD/dsalgmix.test.tmp"
mv "$DSD/dsalgmix.test.tmp" "$DSD/dsalgmix.test."
serve dsalgmix.test.

# dssha1.test: DS RRset = correct SHA-1 DS + SHA-256 DS with a changed digest, same key
make_zone dssha1.test. <<'EOF'
www.dssha1.test. 3600 IN A 192.0.2.57
EOF
{ ds_of "${KSK[dssha1.test.]}" 1; py alter-digest "$(ds_of "${KSK[dssha1.test.]}" 2)"; } > "$DSD/dssha1.test."
serve dssha1.test.

# rsasha1.test: RSASHA1 (algorithm 5) zone, DS digest 2
newkeys rsasha1.test. RSASHA1 2048 1024
make_zone rsasha1.test. <<'EOF'
www.rsasha1.test. 3600 IN A 192.0.2.58
EOF
serve rsasha1.test.

# wild.test: wildcard; wildnoproof.test: same, with the NSEC at *.wildnoproof.test. (which covers the
# query name host.wildnoproof.test.) deleted from the served zone, so NSD falls back to the apex NSEC (which
# covers nothing useful); the recorded answer is then stripped of that NSEC too (see the end).
for z in wild.test. wildnoproof.test.; do
  make_zone "$z" <<EOF
*.$z 3600 IN A 192.0.2.60
www.$z 3600 IN A 192.0.2.61
EOF
  serve "$z"
done
py drop "$S/wildnoproof.test." '*.wildnoproof.test.' NSEC
py drop "$S/wildnoproof.test." '*.wildnoproof.test.' RRSIG:NSEC

# nsec3.test: NSEC3, 0 iterations, no salt (RFC 9276) for NXDOMAIN and NODATA
make_zone nsec3.test. -3 - -H 0 <<'EOF'
www.nsec3.test. 3600 IN A 192.0.2.70
mail.nsec3.test. 3600 IN A 192.0.2.71
EOF
serve nsec3.test.

# ttl.test: www A and its RRSIG served with TTL 1234 (RRSIG original TTL stays 3600), as from a cache
make_zone ttl.test. <<'EOF'
www.ttl.test. 3600 IN A 192.0.2.72
EOF
py set-ttl "$S/ttl.test." www.ttl.test. A 1234
serve ttl.test.

# cname.test: www CNAME into the separately signed secure.test
make_zone cname.test. <<'EOF'
www.cname.test. 3600 IN CNAME www.secure.test.
EOF
serve cname.test.

# nsec3i150.test: NSEC3 with 150 iterations (BIND 9.18's maximum), salt AB
make_zone nsec3i150.test. -3 AB -H 150 <<'EOF'
www.nsec3i150.test. 3600 IN A 192.0.2.80
EOF
serve nsec3i150.test.

# nsec3i151.test: NSEC3 with 151 iterations; dnssec-signzone 9.18 refuses, so ldns-signzone signs it
z=nsec3i151.test.
mkdir -p "$KEYS/$z"
lk=$(cd "$KEYS/$z" && ldns-keygen -a ECDSAP256SHA256 -k "$z"); lz=$(cd "$KEYS/$z" && ldns-keygen -a ECDSAP256SHA256 "$z")
{ soa "$z"; echo "www.$z 3600 IN A 192.0.2.81"; } > "$Z/$z"
ldns-signzone -n -t 151 -s AB -i "$START" -e "$END" -o "$z" -f "$S/$z.ldns" "$Z/$z" "$KEYS/$z/$lk" "$KEYS/$z/$lz"
grep -v '^;' "$S/$z.ldns" > "$S/$z"
dnssec-dsfromkey -T 3600 -2 "$KEYS/$z/$lk.key" > "$DSD/$z"
serve "$z"

# keytrap.test: real KSK/ZSK (algorithm 13) plus 50 crafted RSASHA256 DNSKEYs sharing one key tag (same
# modulus, exponents chosen to collide), DNSKEY RRset signed by the KSK; the www A RRset carries 16 RRSIGs
# naming that key tag (RSA/SHA-256 signatures by a private key none of the 50 public keys matches).
z=keytrap.test.
newkeys "$z"
TAG=$(py keytrap-keys "$z" "$WORK/keytrap.keys" "$WORK/keytrap.pem" 50)
{ soa "$z"; echo "www.$z 3600 IN A 192.0.2.90"; cat "$WORK/keytrap.keys"; } > "$Z/$z"
with_keys "$z" "$Z/$z"
sign "$z" "$Z/$z" "$S/$z" -P
ds_of "${KSK[$z]}" > "$DSD/$z"
py keytrap-sigs "$S/$z" "www.$z" A "$z" "$TAG" "$WORK/keytrap.pem" 16
serve "$z"

# test.: the TLD, NSEC; delegations with the DS sets built above (insecure.test without DS)
newkeys test.
{
  soa test.
  echo 'ns.test. 3600 IN A 127.0.0.1'
  for zone in "${ZONES[@]}"; do
    [[ $zone == *.*.test. ]] && continue
    echo "$zone 3600 IN NS ns.test."
    [[ -f $DSD/$zone ]] && cat "$DSD/$zone"
  done
} > "$Z/test."
with_keys test. "$Z/test."
sign test. "$Z/test." "$S/test." -P
ds_of "${KSK[test.]}" > "$DSD/test."

# optout.test's DS was made above; root zone
newkeys .
{ soa .; echo 'test. 3600 IN NS ns.test.'; echo 'ns.test. 3600 IN A 127.0.0.1'; cat "$DSD/test."; } > "$Z/root"
with_keys . "$Z/root"
sign . "$Z/root" "$S/root"
ROOT_DS=$(ds_of "${KSK[.]}")
read -r _ _ _ _ RTAG RALG RDT RDIGEST <<< "$ROOT_DS"
printf 'trust-anchors {\n  "." static-ds %s %s %s "%s";\n};\n' "$RTAG" "$RALG" "$RDT" "$RDIGEST" > "$WORK/anchors.conf"
echo "$ROOT_DS" > "$WORK/anchor.ds"

# ---------------------------------------------------------------------------------------------------------
echo "== starting NSD on 127.0.0.1:$PORT"
NSDDIR=$WORK/nsd; mkdir -p "$NSDDIR"
{
  cat <<EOF
server:
  ip-address: 127.0.0.1
  port: $PORT
  database: ""
  zonelistfile: "$NSDDIR/zone.list"
  xfrdfile: "$NSDDIR/xfrd.state"
  xfrdir: "$NSDDIR"
  pidfile: "$NSDDIR/nsd.pid"
  logfile: "$NSDDIR/nsd.log"
  username: ""
  chroot: ""
  zonesdir: "$S"
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "."
  zonefile: "root"
zone:
  name: "test."
  zonefile: "test."
EOF
  for zone in "${ZONES[@]}"; do printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$zone" "$zone"; done
} > "$NSDDIR/nsd.conf"
nsd-checkconf "$NSDDIR/nsd.conf"
nsd -d -c "$NSDDIR/nsd.conf" > "$NSDDIR/stdout" 2>&1 &
NSD_PID=$!
for _ in $(seq 50); do dig @127.0.0.1 -p "$PORT" +short +norecurse . SOA >/dev/null 2>&1 && break; sleep 0.2; done
if grep -E 'error|warning' "$NSDDIR/nsd.log" "$NSDDIR/stdout"; then echo "NSD complained" >&2; exit 1; fi
cat > "$WORK/unbound.conf" <<EOF
server:
  do-not-query-localhost: no
  local-zone: "test." nodefault
  val-override-date: "$(date -u -d "$VALIDATION_TIME" +%Y%m%d%H%M%S)"
  use-syslog: no
  logfile: ""
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@$PORT
EOF

# ---------------------------------------------------------------------------------------------------------
ancestors() { # ancestors <name>: the root, then each ancestor down to the name itself, one a line
  local -a l; local i
  IFS=. read -ra l <<< "${1%.}"
  echo .
  for ((i = ${#l[@]} - 1; i >= 0; i--)); do (IFS=.; echo "${l[*]:i}."); done
}
UNBOUND=""
run_unbound() { # run_unbound <qname> <qtype>: unbound-host's verdict lines at the pinned time (log lines dropped)
  UNBOUND=$(unbound-host -C "$WORK/unbound.conf" -f "$WORK/anchor.ds" -v -t "$2" "$1" 2>&1 | grep -v '^\[' || true)
}
DELV=""
run_delv() { # run_delv <qname> <qtype>: delv's verdict lines (those starting with ';'), verbatim
  # ";;" lines (errors, failures) and the "; ..." status line; not the commented-out negative-cache RRs
  DELV=$(delv @127.0.0.1 -p "$PORT" -a "$WORK/anchors.conf" +root=. "$1" "$2" 2>&1 \
    | grep -E '^;; |^; (fully validated|unsigned answer|negative response|.*(validat|insecure|bogus|fail))' || true)
}
TA_LINE=$ROOT_DS
# mkcase <folder> <qname> <qtype> <status> <reason|-> <ede|null> <why> <source> [extra questions as name/TYPE]
# Records the question, the extra questions, and DNSKEY and DS for every ancestor of each (root: DNSKEY only),
# runs delv on the question, writes case.json. Env: STRICT_SHA1=<status>, EXPECT_WARNING=1.
CASES=()
mkcase() {
  local folder=$1 qname=$2 qtype=$3 status=$4 reason=$5 ede=$6 why=$7 source=$8; shift 8
  local dir=$HERE/$folder out; echo "   $SECONDS s: case $folder"
  rm -rf "$dir"; mkdir -p "$dir"; out=$dir/responses.txt; : > "$out"
  local -a questions=("$qname/$qtype") names=()   # names: ancestors of one question
  for extra in "$@"; do questions+=("$extra"); done
  local q n t seen=" " i=0
  local -a order=() args=()
  for q in "${questions[@]}"; do order+=("$q"); seen+="$q "; done
  for q in "${questions[@]}"; do
    mapfile -t names < <(ancestors "${q%/*}")
    for n in "${names[@]}"; do
      for t in DNSKEY DS; do
        [[ $n == . && $t == DS ]] && continue
        [[ $seen == *" $n/$t "* ]] && continue
        seen+="$n/$t "; order+=("$n/$t")
      done
    done
  done
  for q in "${order[@]}"; do
    i=$((i + 1))
    dig @127.0.0.1 -p "$PORT" +dnssec +norecurse +nosplit +bufsize=1232 "${q%/*}" "${q##*/}" > "$WORK/dig.$i"
    args+=("${q%/*}" "${q##*/}" "$WORK/dig.$i")
  done
  py blocks "$out" "${args[@]}"
  run_delv "$qname" "$qtype"
  run_unbound "$qname" "$qtype"
  CASES+=("$folder")
  python3 - "$dir/case.json" "$qname" "$qtype" "$TA_LINE" "$VALIDATION_TIME" "$status" "$reason" "$ede" "$DELV" "$why" "$source" "${STRICT_SHA1:-}" "$UNBOUND" <<'PYEOF'
import json, os, sys
path, qname, qtype, ta, vt, status, reason, ede, delv, why, source, strict, unbound = sys.argv[1:]
case = {'name': qname, 'type': qtype, 'trustAnchors': [ta], 'validationTime': vt, 'expectedStatus': status,
        'expectedReason': None if reason == '-' else reason, 'expectedEde': None if ede == 'null' else int(ede),
        'delv': delv, 'why': why, 'source': source}
if strict:
    case['strictSha1Expected'] = strict
case['expectWarning'] = os.environ.get('EXPECT_WARNING') == '1'
# delv's verdict as one of our statuses (its "; ..." status line; a ";; resolution failed" alone is Bogus)
if 'fully validated' in delv:
    case['delvStatus'] = 'Secure'
elif 'unsigned answer' in delv:
    case['delvStatus'] = 'Insecure'
elif 'resolution failed' in delv:
    case['delvStatus'] = 'Bogus'
else:
    case['delvStatus'] = 'Indeterminate'
if case['delvStatus'] != status and 'delv' not in why:
    sys.exit(f'{path}: delv says {case["delvStatus"]}, expected {status}, and "why" does not explain it')
case['unbound'] = unbound
if 'BOGUS' in unbound:
    case['unboundStatus'] = 'Bogus'
elif '(insecure)' in unbound:
    case['unboundStatus'] = 'Insecure'
elif '(secure)' in unbound:
    case['unboundStatus'] = 'Secure'
else:
    case['unboundStatus'] = 'Indeterminate'
if case['unboundStatus'] != status and 'Unbound' not in why:
    sys.exit(f'{path}: Unbound says {case["unboundStatus"]}, expected {status}, and "why" does not explain it')
json.dump(case, open(path, 'w'), indent=2)
open(path, 'a').write('\n')
PYEOF
}
echo "== recording cases"
BIND="signed by dnssec-signzone 9.18 (ECDSAP256SHA256 KSK+ZSK, NSEC), served by NSD 4.6, recorded with dig +dnssec +norecurse"

mkcase secure-a www.secure.test. A Secure - null \
  "A signed answer in a signed zone under a signed TLD and root: the chain root -> test. -> secure.test. validates." \
  "$BIND."
mkcase insecure-delegation-nsec www.insecure.test. A Insecure InsecureDelegation null \
  "test. proves with an NSEC at insecure.test. (NS bit set, DS and SOA bits clear) that the delegation has no DS (RFC 4035 5.2, RFC 6840 4.4)." \
  "test. $BIND; insecure.test. is an unsigned zone on the same NSD."
mkcase insecure-delegation-nsec3-optout www.child.optout.test. A Insecure InsecureDelegation null \
  "optout.test. is NSEC3 opt-out; the DS query for child.optout.test. gets a closest encloser proof (optout.test.) and an opt-out NSEC3 covering the next closer name child.optout.test. (RFC 5155 8.6, 8.9; RFC 6840 4.4: opt-out proves the delegation may be unsigned)." \
  "optout.test. signed by dnssec-signzone 9.18 -3 - -H 0 -A (NSEC3, 0 iterations, no salt, opt-out); child.optout.test. unsigned; served by NSD, recorded with dig."
mkcase bogus-rrsig-expired www.expired.test. A Bogus RrsigExpired 7 \
  "The RRSIG over www A expired on 2026-06-01, before the validation time (RFC 4035 5.3.1); every other RRSIG is valid." \
  "$BIND. Tampering (script, in the served zone): the RRSIG over www A replaced by the one from a second dnssec-signzone run with the same keys and -s 20250101000000 -e 20260601000000."
mkcase bogus-rrsig-not-yet-valid www.future.test. A Bogus RrsigNotYetValid 8 \
  "The RRSIG over www A has inception 2027-06-01, after the validation time (RFC 4035 5.3.1); every other RRSIG is valid." \
  "$BIND. Tampering (script, in the served zone): the RRSIG over www A replaced by the one from a second dnssec-signzone run with the same keys and -s 20270601000000 -e 20360101000000."
mkcase bogus-ds-no-matching-dnskey www.dsnokey.test. A Bogus NoDnskeyForDs 9 \
  "The only DS for dsnokey.test. was made from a key that is not in the zone's DNSKEY RRset: no DNSKEY has its key tag and algorithm (RFC 4035 5.2). EDE 9 DNSKEY Missing (RFC 8914 4.10)." \
  "$BIND; the DS in test. made by dnssec-dsfromkey -2 from another dnssec-keygen KSK that is never published."
mkcase bogus-ds-digest-mismatch www.dsmismatch.test. A Bogus DsDigestMismatch 9 \
  "The only DS for dsmismatch.test. names the real KSK (key tag, algorithm) but its SHA-256 digest does not match (RFC 4035 5.2). EDE 9 DNSKEY Missing: no matching DNSKEY for the DS (RFC 8914 4.10)." \
  "$BIND; the DS in test. is dnssec-dsfromkey -2 output with the last hex digit of the digest changed by the script before test. was signed."
mkcase bogus-missing-rrsig www.norrsig.test. A Bogus MissingRrsig 10 \
  "www A in a signed zone comes without any RRSIG (RFC 4035 5.3; EDE 10 RRSIGs Missing)." \
  "$BIND. Tampering (script, in the served zone): the RRSIG over www A deleted after signing."
mkcase bogus-tampered-record www.tampered.test. A Bogus NoValidSignature 6 \
  "www A was changed after signing (192.0.2.51 -> 192.0.2.66): the RRSIG's key and fields match but the signature does not verify (RFC 4035 5.3.3)." \
  "$BIND. Tampering (script, in the served zone): the A RDATA changed after signing."
mkcase bogus-key-revoked www.revoked.test. A Bogus KeyRevoked 9 \
  "The DS points only to the KSK, which has the REVOKE bit set (flags 385) and self-signs the DNSKEY RRset; a revoked key must not be used to validate anything but its own revocation (RFC 5011 2.1; DESIGN 5: REVOKE bit clear), so no usable key matches the DS. delv (BIND 9.18) and Unbound 1.17 disagree (both Secure): they honour the REVOKE bit only for RFC 5011 managed trust anchors, not for a key reached through a DS; we follow RFC 5011 2.1 as DESIGN 5 says." \
  "$BIND; KSK revoked with dnssec-revoke before signing (dnssec-signzone -P; it signs the DNSKEY RRset with the revoked KSK and the ZSK); the DS (digest 2) computed by the script over the revoked DNSKEY (flags 385, so its key tag includes the REVOKE bit), because dnssec-dsfromkey refuses revoked keys."
mkcase bogus-rrsig-labels-exceed-owner www.labels.test. A Bogus RrsigLabelsExceedOwner 6 \
  "The RRSIG over www.labels.test. A (3 labels) has labels field 4: more labels than the owner name, which RFC 4035 5.3.1 says is not a valid RRSIG." \
  "$BIND. Tampering (script, in the served zone): the RRSIG over www A replaced by the real RRSIG dnssec-signzone made for x.www.labels.test. A (same RDATA, labels 4), moved to the owner www.labels.test.."
mkcase insecure-unsupported-algorithm www.unsupalg.test. A Insecure UnsupportedAlgorithm 1 \
  "The DS RRset and the DNSKEYs use only algorithm 12 (ECC-GOST), which we do not support: a zone whose DS set has no supported algorithm is Insecure (RFC 4035 5.2; RFC 6840 5.2; EDE 1)." \
  "$BIND, then the script relabelled every DNSKEY and RRSIG of unsupalg.test. to algorithm 12 (key tags recomputed; the signatures are the algorithm 13 bytes) and computed the DS (digest 2) over the relabelled KSK."
mkcase secure-ds-digest-known-first www.dsorder1.test. A Secure - null \
  "The DS RRset holds a SHA-256 DS (matches the KSK) and then a DS with unassigned digest type 200: the unknown digest is ignored and the SHA-256 one suffices (RFC 4035 5.2, RFC 6840 5.11)." \
  "$BIND; the digest type 200 DS (random digest) added by the script to the DS RRset before test. was signed; the recorded DS answer put in the order 2, 200 (RRset order is not signed)."
mkcase secure-ds-digest-unknown-first www.dsorder2.test. A Secure - null \
  "As secure-ds-digest-known-first with the DS records in the other order (200 first): the result must not depend on record order." \
  "$BIND; the digest type 200 DS (random digest) added by the script to the DS RRset before test. was signed; the recorded DS answer put in the order 200, 2 (RRset order is not signed)."
mkcase insecure-ds-unsupported-digest-only www.dsunknown.test. A Insecure UnsupportedDigest 2 \
  "The only DS for dsunknown.test. has unassigned digest type 200 (with the real key tag and algorithm): no supported algorithm/digest pair, so the delegation is treated as unsigned (RFC 4035 5.2, RFC 6840 5.2; EDE 2 Unsupported DS Digest Type)." \
  "$BIND; the script replaced the zone's DS in test. by a digest type 200 DS (random digest) before test. was signed."
mkcase bogus-ds-supported-algorithm-fails www.dsalgmix.test. A Bogus DsDigestMismatch 9 \
  "The DS RRset has an algorithm 13 DS (real key tag, wrong digest) and an algorithm 12 DS (unsupported, no such key): the only supported algorithm fails, so the zone is Bogus, not Insecure (RFC 4035 5.2, RFC 6840 5.2)." \
  "$BIND; the script changed the algorithm 13 DS's digest and added an algorithm 12 DS (key tag 4242, random digest) before test. was signed."
mkcase bogus-ds-sha1-matches-sha256-fails www.dssha1.test. A Bogus DsDigestMismatch 9 \
  "The DS RRset has a SHA-1 DS that matches the KSK and a SHA-256 DS for the same key that does not: with a SHA-256 DS present the SHA-1 DS must be ignored (RFC 4509 3), so nothing matches. delv (BIND 9.18) agrees (Bogus); Unbound 1.17 says Secure because it applies the strongest-digest rule only with harden-algo-downgrade: yes (default no) and otherwise accepts any matching DS; we follow RFC 4509 3 as DESIGN 5 says." \
  "$BIND; DS digest 1 and 2 from dnssec-dsfromkey, the digest 2 one changed by the script before test. was signed."
EXPECT_WARNING=1 STRICT_SHA1=Insecure mkcase secure-rsasha1 www.rsasha1.test. A Secure - null \
  "rsasha1.test. is signed with RSASHA1 (algorithm 5): validates by default with a deprecation warning (RFC 9904, RFC 9905); with StrictSha1 algorithm 5 is unsupported and the zone is Insecure (strictSha1Expected)." \
  "signed by dnssec-signzone 9.18 (RSASHA1 KSK 2048 bits, ZSK 1024 bits, NSEC), DS digest 2; served by NSD 4.6, recorded with dig."
mkcase secure-wildcard-expansion host.wild.test. A Secure - null \
  "host.wild.test. A is synthesized from *.wild.test. (RRSIG labels 2 < 3 owner labels); the NSEC proving that host.wild.test. does not exist is in the authority section (RFC 4035 5.3.4)." \
  "$BIND."
mkcase secure-wildcard-literal "*.wild.test." A Secure - null \
  "The query is for the literal name *.wild.test.: the RRSIG's labels field (2) is one less than the owner's because the * label is not counted (RFC 4034 3.1.3); this is not an expansion, so no denial proof is needed." \
  "$BIND."
mkcase bogus-wildcard-proof-missing host.wildnoproof.test. A Bogus NsecProofMissing 12 \
  "A wildcard expansion (RRSIG labels 2, owner has 3) without the NSEC that proves host.wildnoproof.test. does not exist: the answer could be a replay hiding a real name (RFC 4035 5.3.4; EDE 12 NSEC Missing)." \
  "$BIND. Tampering (script): the NSEC at *.wildnoproof.test. (the one covering host.wildnoproof.test.) and its RRSIG deleted from the served zone, so NSD answered with the apex NSEC, which covers nothing relevant (delv judged that); then, on the recorded response, that NSEC and its RRSIG removed from the authority section, leaving no NSEC at all."
mkcase secure-nxdomain-nsec nx.secure.test. A Secure NameDoesNotExist null \
  "NXDOMAIN proven by an NSEC covering nx.secure.test. and an NSEC covering *.secure.test. (RFC 4035 5.4)." \
  "$BIND."
mkcase secure-nodata-nsec www.secure.test. TXT Secure NoData null \
  "NODATA proven by the NSEC at www.secure.test. whose type bitmap lacks TXT and CNAME (RFC 4035 5.4)." \
  "$BIND."
mkcase secure-nxdomain-nsec3 nx.nsec3.test. A Secure NameDoesNotExist null \
  "NXDOMAIN proven by NSEC3: closest encloser nsec3.test., NSEC3 covering the next closer name nx.nsec3.test. and one covering *.nsec3.test. (RFC 5155 8.4)." \
  "signed by dnssec-signzone 9.18 -3 - -H 0 (NSEC3, 0 iterations, no salt), served by NSD 4.6, recorded with dig."
mkcase secure-nodata-nsec3 www.nsec3.test. TXT Secure NoData null \
  "NODATA proven by the NSEC3 matching www.nsec3.test. whose type bitmap lacks TXT and CNAME (RFC 5155 8.5)." \
  "signed by dnssec-signzone 9.18 -3 - -H 0 (NSEC3, 0 iterations, no salt), served by NSD 4.6, recorded with dig."
mkcase secure-ttl-counted-down www.ttl.test. A Secure - null \
  "The answer's TTL (1234) is below the RRSIG's original TTL (3600), as a cache returns it: the signed data uses the original TTL (RFC 4035 5.3.2), so it validates." \
  "$BIND. Tampering (script, in the served zone): the TTL of www A and of its RRSIG lowered to 1234 after signing."
mkcase secure-cname-other-zone www.cname.test. A Secure - null \
  "www.cname.test. is a signed CNAME to www.secure.test., a separately signed zone; both links validate (the target's question and chain are recorded too)." \
  "$BIND." www.secure.test./A
EXPECT_WARNING=1 mkcase secure-nsec3-150-iterations nx.nsec3i150.test. A Secure NameDoesNotExist null \
  "NXDOMAIN proven by NSEC3 with 150 iterations and salt AB: at our limit (DESIGN 5, as BIND 9.18 and Unbound 1.17+), so Secure, with a warning (RFC 9276 asks for 0 iterations and no salt)." \
  "signed by dnssec-signzone 9.18 -3 AB -H 150, served by NSD 4.6, recorded with dig."
mkcase insecure-nsec3-151-iterations nx.nsec3i151.test. A Insecure Nsec3IterationsTooHigh 27 \
  "NXDOMAIN proven by NSEC3 with 151 iterations: above our limit of 150 the answer is Insecure with EDE 27 (RFC 9276 3.2, DESIGN 5), after the NSEC3 RRSIGs are checked." \
  "signed by ldns-signzone 1.8.3 -n -t 151 -s AB (ECDSAP256SHA256 keys from ldns-keygen; dnssec-signzone 9.18 refuses more than 150 iterations), served by NSD 4.6, recorded with dig."
mkcase bogus-keytrap-colliding-keys www.keytrap.test. A Bogus WorkLimitExceeded 6 \
  "KeyTrap (CVE-2023-50387): 50 DNSKEYs (RSASHA256) share one key tag and www A carries 16 RRSIGs naming it, none of which verifies. Without a budget that is 800 verifications; ours stops at 4 DNSKEYs per key tag and 8 verifications per RRset (DESIGN 5) with WorkLimitExceeded. EDE 6 DNSSEC Bogus (RFC 8914 has no work-limit code). delv agrees on Bogus but reports the signature failure, not a work limit; Unbound 1.17 stops with 'too many RRSIG validations', as we do." \
  "keytrap.test. KSK+ZSK (ECDSAP256SHA256) by dnssec-signzone 9.18 (-P), DS digest 2 to the KSK. Crafted by the script (python3 + cryptography): 50 RSASHA256 ZSK DNSKEYs sharing one 2048-bit modulus with 3-byte exponents chosen so all have the same key tag, published in the DNSKEY RRset (signed by the KSK); the RRSIG over www A replaced by 16 RSASHA256 RRSIGs naming that key tag, signed with the modulus' private key (exponent 65537, which no published key has), so none verifies."

# Tampering on recorded responses (after delv ran on the served zones; see case.json "source")
py order-answer "$HERE/secure-ds-digest-known-first/responses.txt" dsorder1.test. DS 2 2,200
py order-answer "$HERE/secure-ds-digest-unknown-first/responses.txt" dsorder2.test. DS 2 200,2
py strip-authority "$HERE/bogus-wildcard-proof-missing/responses.txt" host.wildnoproof.test. A NSEC

# Peer check of the KeyTrap case: BIND's dnssec-dsfromkey must see 50 algorithm 8 DNSKEYs with one key tag
sed -n '/^;; QUERY keytrap.test. DNSKEY$/,/^;; END$/p' "$HERE/bogus-keytrap-colliding-keys/responses.txt" | grep ' DNSKEY ' > "$WORK/keytrap.dnskey"
tags=$(dnssec-dsfromkey -A -2 -f "$WORK/keytrap.dnskey" keytrap.test. | awk '$5 == 8 {print $4}' | sort | uniq -c | awk '{print $1}')
[[ $tags == 50 ]] || { echo "keytrap.test.: expected 50 algorithm 8 DNSKEYs sharing one key tag, dnssec-dsfromkey counts: $tags" >&2; exit 1; }

# Summary table (generated; the case.json files are the reference)
python3 - "$HERE" "${CASES[@]}" > "$HERE/CASES.md" <<'PYEOF'
import json, sys
here, cases = sys.argv[1], sys.argv[2:]
print('# DNSSEC fixture cases (generated by generate.sh; see each case.json)\n')
print('| case | question | expected | reason | EDE | delv 9.18 (real clock) | Unbound 1.17 (pinned time) |')
print('| --- | --- | --- | --- | --- | --- | --- |')
for c in cases:
    j = json.load(open(f'{here}/{c}/case.json'))
    verdict = [l for l in j['delv'].splitlines() if l.startswith('; ') or 'resolution failed' in l][-1]
    print(f"| {c} | `{j['name']} {j['type']}` | {j['expectedStatus']} | {j['expectedReason'] or ''} | "
          f"{'' if j['expectedEde'] is None else j['expectedEde']} | {j['delvStatus']}: `{verdict}` | "
          f"{j['unboundStatus']}: `{j['unbound'].splitlines()[-1]}` |")
PYEOF

echo "== done: ${#CASES[@]} cases in $(( $(date +%s) - T0 )) s"
for c in "${CASES[@]}"; do printf '%-45s %s\n' "$c" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["delv"].replace("\n"," | "))' "$HERE/$c/case.json")"; done
