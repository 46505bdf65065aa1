#!/usr/bin/python3
"""A wide-area link for the benchmark: a DNS proxy that delays every answer of the authoritative server.

Usage: dns_delay.py --pidfile FILE --listen ADDR --upstream ADDR [--port 53] [--delay-ms 40] [--jitter-ms 10]
Runs with Debian's /usr/bin/python3 (python3-dnspython), inside the lab's namespace only (bench/Invoke-Bench.ps1's
wide-area mode puts it on NSD's address and moves NSD behind it). Each query, UDP or TCP, is forwarded unchanged to
the upstream server; its answer goes back unchanged after a delay drawn uniformly from delay +- jitter milliseconds,
measured from the query's arrival: the round trip of a distant authoritative server (the kernel here has no netem).
Queries are independent: many are in flight at once, as on a real link. An answer that does not come within 3 s is
dropped (the resolver retries, as after a lost packet).
"""
import argparse
import asyncio
import os
import random
import signal
import struct

import dns.exception
import dns.message

UPSTREAM_TIMEOUT = 3.0


class Forward(asyncio.DatagramProtocol):
    """One upstream UDP exchange: resolves the future with the first datagram."""

    def __init__(self, wire, done):
        self.wire, self.done = wire, done

    def connection_made(self, transport):
        transport.sendto(self.wire)

    def datagram_received(self, data, addr):
        if not self.done.done():
            self.done.set_result(data)

    def error_received(self, exc):
        if not self.done.done():
            self.done.set_exception(exc)


class Udp(asyncio.DatagramProtocol):
    def __init__(self, args):
        self.args = args

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        asyncio.get_running_loop().create_task(self.answer(data, addr))

    async def answer(self, data, addr):
        loop = asyncio.get_running_loop()
        due = loop.time() + delay(self.args)
        try:
            dns.message.from_wire(data)   # only well-formed DNS messages are forwarded
        except dns.exception.DNSException:
            return
        done = loop.create_future()
        transport = None
        try:
            transport, _ = await loop.create_datagram_endpoint(lambda: Forward(data, done),
                                                               remote_addr=(self.args.upstream, self.args.port))
            out = await asyncio.wait_for(done, UPSTREAM_TIMEOUT)
        except (OSError, asyncio.TimeoutError):
            return
        finally:
            if transport is not None:
                transport.close()
        await asyncio.sleep(max(0.0, due - loop.time()))
        self.transport.sendto(out, addr)


async def tcp_client(reader, writer, args):
    loop = asyncio.get_running_loop()
    try:
        while True:
            head = await reader.readexactly(2)
            data = await reader.readexactly(struct.unpack("!H", head)[0])
            due = loop.time() + delay(args)
            ureader, uwriter = await asyncio.wait_for(asyncio.open_connection(args.upstream, args.port), UPSTREAM_TIMEOUT)
            try:
                uwriter.write(head + data)
                await uwriter.drain()
                size = struct.unpack("!H", await asyncio.wait_for(ureader.readexactly(2), UPSTREAM_TIMEOUT))[0]
                out = await asyncio.wait_for(ureader.readexactly(size), UPSTREAM_TIMEOUT)
            finally:
                uwriter.close()
            await asyncio.sleep(max(0.0, due - loop.time()))
            writer.write(struct.pack("!H", len(out)) + out)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError, OSError):
        pass
    finally:
        writer.close()


def delay(args):
    return random.uniform(args.delay_ms - args.jitter_ms, args.delay_ms + args.jitter_ms) / 1000.0


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--delay-ms", type=float, default=40.0)
    parser.add_argument("--jitter-ms", type=float, default=10.0)
    args = parser.parse_args()
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: Udp(args), local_addr=(args.listen, args.port))
    server = await asyncio.start_server(lambda r, w: tcp_client(r, w, args), args.listen, args.port)
    with open(args.pidfile, "w") as f:
        f.write(str(os.getpid()))
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
