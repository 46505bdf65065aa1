#!/usr/bin/python3
"""A slow MX host for the benchmark: accepts at once, then holds the SMTP banner for a few seconds.

Usage: smtp_slow.py --pidfile FILE [--wait-seconds 3] LISTEN_ADDR:PORT=BACKEND_ADDR:PORT [...]
Runs inside the lab's namespace only (bench/Invoke-Bench.ps1's wide-area mode moves the host's Postfix listener to
BACKEND and puts this in its place). Each connection is accepted, then after the wait relayed byte for byte to the
real smtpd, whose 220 greeting is the first thing the client reads: a server that greets late (a busy or tarpitting
MTA). STARTTLS and the certificate are the real server's, so the DANE check still passes.
"""
import argparse
import asyncio
import os
import signal


def split_hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def handler(backend, wait):
    async def handle(creader, cwriter):
        try:
            await asyncio.sleep(wait)
            sreader, swriter = await asyncio.open_connection(*backend)
        except (ConnectionError, OSError):
            cwriter.close()
            return
        await asyncio.gather(pipe(creader, swriter), pipe(sreader, cwriter))
    return handle


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--wait-seconds", type=float, default=3.0)
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    servers = []
    for pair in args.pairs:
        listen, _, backend = pair.partition("=")
        host, port = split_hostport(listen)
        servers.append(await asyncio.start_server(handler(split_hostport(backend), args.wait_seconds), host, port))
    with open(args.pidfile, "w") as f:
        f.write(str(os.getpid()))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    await stop.wait()
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())
