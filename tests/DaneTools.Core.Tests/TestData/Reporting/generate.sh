#!/usr/bin/env bash
# Regenerates the Export-DaneReport test certificate and the digests OpenSSL computes for it (the tests compare the
# report's "3 1 1" record with these, never with DaneTools' own output). The subject carries markup on purpose.
set -euo pipefail
cd "$(dirname "$0")"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -days 3650 \
  -subj '/CN=mx.example.test/O=<script>alert(1)<\/script> & "quoted"' \
  -addext 'subjectAltName=DNS:mx.example.test' -out hostile-leaf.pem 2>/dev/null
openssl x509 -in hostile-leaf.pem -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 | tr a-f A-F > hostile-leaf.spki-sha256.txt
openssl x509 -in hostile-leaf.pem -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 | tr a-f A-F > hostile-leaf.cert-sha256.txt
