#!/usr/bin/python3
"""The lab's MTA-STS policy hosts (RFC 8461 section 3.3): one HTTPS listener for every mta-sts.<domain> of the
catalogue. SNI picks the certificate (lab CA, or a scenario's own), the Host header picks the scripted reply
(status, Content-Type, body, Location). Python's http.server and ssl only; listens inside the lab namespace.

Usage: sts_https.py --pidfile FILE --sites run/sts/sites.json --listen 127.0.0.4 [--port 443]
sites.json: {"mta-sts.<domain>": {"chain": "<key+chain PEM>", "status": 200, "contentType": "text/plain",
             "body": "...", "location": null, "delaySeconds": 0}}
"""
import argparse
import http.server
import json
import os
import ssl
import sys
import time

WELL_KNOWN = "/.well-known/mta-sts.txt"


def context(chain):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(chain)
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--sites", required=True)
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, default=443)
    args = ap.parse_args()
    with open(args.sites) as f:
        sites = {k.lower(): v for k, v in json.load(f).items()}
    contexts = {host: context(site["chain"]) for host, site in sites.items()}
    default = next(iter(contexts.values()))

    def pick(sslsock, server_name, _ctx):
        if server_name and server_name.lower() in contexts:
            sslsock.context = contexts[server_name.lower()]

    default.sni_callback = pick

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            # The TLS handshake runs in the request's own thread, so a stuck client blocks nobody.
            self.request.settimeout(15)
            self.request = default.wrap_socket(self.request, server_side=True)
            super().setup()

        def do_GET(self):
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            site = sites.get(host)
            if site is None or self.path != WELL_KNOWN:
                site = {"status": 404, "contentType": "text/plain", "body": "not found\n"}
            time.sleep(site.get("delaySeconds", 0))
            body = site.get("body", "").encode()
            self.send_response(site.get("status", 200))
            if site.get("contentType"):
                self.send_header("Content-Type", site["contentType"])
            if site.get("location"):
                self.send_header("Location", site["location"])
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *a):
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % a))

    server = http.server.ThreadingHTTPServer((args.listen, args.port), Handler)
    server.daemon_threads = True
    with open(args.pidfile, "w") as f:
        f.write(str(os.getpid()))
    server.serve_forever()


if __name__ == "__main__":
    main()
