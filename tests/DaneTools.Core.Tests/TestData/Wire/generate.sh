#!/usr/bin/env bash
# Regenerates the wire fixtures of the DnsClient adapter tests (DnsClientRecordSourceTests):
# a zone holding every record type the adapter rebuilds, signed by BIND's dnssec-signzone (NSEC and NSEC3
# variants), served by NSD on 127.0.0.1, each answer recorded twice by peer tools:
#   <n>.pkt : the answer packet as drill (ldns) wrote it (-w), served back to DnsClient by the test;
#   <n>.dig : the same answer's records as dig prints them with +unknownformat (RFC 3597 \# len hex),
#             the expected RDATA, byte for byte.
# Needs: bind9-utils bind9-dnsutils ldnsutils nsd (Debian). Run from anywhere; writes beside this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
port=53541
stop() {
  if [ -f "$work/nsd.pid" ]; then
    pid=$(cat "$work/nsd.pid"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap stop EXIT
cd "$work"

ksk() { dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE "$1"; }
zsk() { dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE "$1"; }

# The child zone only gives the parent a DS and CDS/CDNSKEY material.
child_ksk=$(ksk child.wire.test.)
dnssec-dsfromkey -2 "$child_ksk.key" > child.ds

cat > wire.test.zone <<ZONE
\$TTL 3600
wire.test.            IN SOA ns1.wire.test. Hostmaster.Wire.Test. 2026112901 7200 3600 1209600 300
wire.test.            IN NS  ns1.wire.test.
ns1.wire.test.        IN A   127.0.0.1
MixedCase.wire.test.  IN A   192.0.2.10
MixedCase.wire.test.  IN AAAA 2001:db8::10
alias.wire.test.      IN CNAME MixedCase.Wire.Test.
redirect.wire.test.   IN DNAME Target.Example.
wire.test.            IN MX  10 MX1.wire.test.
wire.test.            IN MX  20 mx2.wire.test.
text.wire.test.       IN TXT "v=spf1 -all" "second string" ""
text8.wire.test.      IN TXT "caf\195\169 \128\255 bytes"
10.2.0.192.wire.test. IN PTR MixedCase.wire.test.
_sip._tcp.wire.test.  IN SRV 10 60 5060 SipServer.wire.test.
wire.test.            IN CAA 0 issue "ca.example.net; account=230123"
wire.test.            IN CAA 128 tbs "Unknown"
_25._tcp.mx1.wire.test. IN TLSA 3 1 1 8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A924138C4
_25._tcp.mx1.wire.test. IN TLSA 2 0 2 A9CDF989B504FE5DCA90C0D2167B6550570734F7C763E09FDF88904E06157065F6D0E3A37E1B4B5C1D4D0B8E8B7D5A1F8A0F6A5C4D3B2A19080706050403020100
child.wire.test.      IN NS  ns1.wire.test.
$(cat child.ds)
wire.test.            IN CDS $(awk '{print $4, $5, $6, $7}' child.ds)
wire.test.            IN CDNSKEY $(awk '$3=="DNSKEY"{k=""; for(i=7;i<=NF;i++) k=k $i; print $4, $5, $6, k}' "$child_ksk.key")
odd.wire.test.        IN TYPE65000 \# 4 DEADBEEF
weird\.dot.wire.test. IN A   192.0.2.98
bin\200ary.wire.test. IN A   192.0.2.99
xn--bcher-kva.wire.test. IN A 192.0.2.100
ZONE

cp wire.test.zone wire3.test.zone
sed -i 's/wire\.test\./wire3.test./g; s/Wire\.Test\./Wire3.Test./g' wire3.test.zone
sed -i '/child\.wire3\.test\..*DS/d' wire3.test.zone

cat > root.zone <<ZONE
\$TTL 86400
.                     IN SOA ns1.wire.test. hostmaster.wire.test. 2026112901 1800 900 604800 86400
.                     IN NS  ns1.wire.test.
ZONE
rk=$(ksk .); rz=$(zsk .)
cat "$rk.key" "$rz.key" >> root.zone
dnssec-signzone -q -s 20260101000000 -e 20360101000000 -o . -f root.signed root.zone "$rk" "$rz" >/dev/null

for zone in wire.test wire3.test; do
  k=$(ksk "$zone."); z=$(zsk "$zone.")
  cat "$k.key" "$z.key" >> "$zone.zone"
  if [ "$zone" = wire3.test ]; then
    dnssec-signzone -q -3 - -H 0 -A -s 20260101000000 -e 20360101000000 -o "$zone." -f "$zone.signed" "$zone.zone" "$k" "$z" >/dev/null
  else
    dnssec-signzone -q -s 20260101000000 -e 20360101000000 -o "$zone." -f "$zone.signed" "$zone.zone" "$k" "$z" >/dev/null
  fi
done

cat > nsd.conf <<CONF
server:
  ip-address: 127.0.0.1@$port
  port: $port
  pidfile: "$work/nsd.pid"
  zonesdir: "$work"
  database: ""
  username: ""
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
  logfile: "$work/nsd.log"
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: .
  zonefile: root.signed
zone:
  name: wire.test.
  zonefile: wire.test.signed
zone:
  name: wire3.test.
  zonefile: wire3.test.signed
CONF
nsd -c nsd.conf
for i in $(seq 50); do dig +short +norec @127.0.0.1 -p $port wire.test. SOA >/dev/null 2>&1 && break; sleep 0.1; done

rm -f "$here"/*.pkt "$here"/*.dig
n=0
record() { # name type
  n=$((n+1)); local id; id=$(printf '%02d' $n)
  drill -D -w "$here/$id.pkt" @127.0.0.1 -p $port "$1" "$2" >/dev/null
  { echo "; QUERY $1 $2"; dig +dnssec +norec +unknownformat +nocmd +nostats +noquestion +noadditional +nocomments @127.0.0.1 -p $port "$1" "$2"; } > "$here/$id.dig"
}
for z in wire.test wire3.test; do
  record "$z." SOA; record "$z." NS; record "$z." MX; record "$z." DNSKEY; record "$z." CAA
  record "$z." CDS; record "$z." CDNSKEY
  record "MixedCase.$z." A; record "MixedCase.$z." AAAA
  record "alias.$z." CNAME; record "x.redirect.$z." A; record "redirect.$z." DNAME
  record "text.$z." TXT; record "text8.$z." TXT; record "10.2.0.192.$z." PTR; record "_sip._tcp.$z." SRV
  record "_25._tcp.mx1.$z." TLSA; record "odd.$z." TYPE65000
  record "nothere.$z." A; record "MixedCase.$z." TXT
done
record 'weird\.dot.wire.test.' A; record 'bin\200ary.wire.test.' A; record xn--bcher-kva.wire.test. A
record . DNSKEY; record . SOA; record nothere. A
record child.wire.test. DS
record wire3.test. NSEC3PARAM
echo "recorded $n answers into $here"
