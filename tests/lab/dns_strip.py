#!/usr/bin/python3
"""A resolver that strips DNSSEC, for the lab: what a firewall's DNS proxy or a home router does.

Usage: dns_strip.py --pidfile FILE --listen ADDR --upstream ADDR [--port 53]
Runs with Debian's /usr/bin/python3 (python3-dnspython), inside the danelab namespace only. Each query (UDP or TCP) is forwarded to the upstream resolver with the DO
bit cleared (the proxy ignores the client's DO); the answer comes back without RRSIG, NSEC and NSEC3 records and
with the AD bit cleared. Messages are read and written with dnspython; no traffic leaves the namespace.
"""
import argparse
import asyncio
import os
import signal
import struct

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rdatatype

STRIPPED = {dns.rdatatype.RRSIG, dns.rdatatype.NSEC, dns.rdatatype.NSEC3}


def strip(wire, upstream, port):
    query = dns.message.from_wire(wire)
    forwarded = dns.message.make_query(query.question[0].name, query.question[0].rdtype, use_edns=0, want_dnssec=False)
    forwarded.id = query.id
    forwarded.flags = query.flags & ~dns.flags.AD & ~dns.flags.CD
    try:
        answer = dns.query.udp(forwarded, upstream, timeout=3, port=port, ignore_trailing=True)
        if answer.flags & dns.flags.TC:
            answer = dns.query.tcp(forwarded, upstream, timeout=3, port=port)
    except Exception:
        answer = dns.message.make_response(query)
        answer.set_rcode(2)
        return answer.to_wire()
    answer.flags &= ~dns.flags.AD
    answer.answer = [r for r in answer.answer if r.rdtype not in STRIPPED]
    answer.authority = [r for r in answer.authority if r.rdtype not in STRIPPED]
    answer.additional = [r for r in answer.additional if r.rdtype not in STRIPPED]
    answer.id = query.id
    return answer.to_wire(max_size=65535)


class Udp(asyncio.DatagramProtocol):
    def __init__(self, upstream, port):
        self.upstream, self.port = upstream, port

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        loop = asyncio.get_running_loop()

        async def answer():
            try:
                out = await loop.run_in_executor(None, strip, data, self.upstream, self.port)
            except Exception:
                return
            if len(out) > 1232:
                reply = dns.message.from_wire(out)
                reply.flags |= dns.flags.TC
                reply.answer, reply.authority, reply.additional = [], [], []
                out = reply.to_wire()
            self.transport.sendto(out, addr)

        loop.create_task(answer())


async def tcp_client(reader, writer, upstream, port):
    loop = asyncio.get_running_loop()
    try:
        while True:
            head = await reader.readexactly(2)
            data = await reader.readexactly(struct.unpack("!H", head)[0])
            out = await loop.run_in_executor(None, strip, data, upstream, port)
            writer.write(struct.pack("!H", len(out)) + out)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, dns.exception.DNSException):
        pass
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pidfile", required=True)
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=53)
    args = parser.parse_args()
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: Udp(args.upstream, args.port), local_addr=(args.listen, args.port))
    server = await asyncio.start_server(lambda r, w: tcp_client(r, w, args.upstream, args.port), args.listen, args.port)
    with open(args.pidfile, "w") as f:
        f.write(str(os.getpid()))
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
