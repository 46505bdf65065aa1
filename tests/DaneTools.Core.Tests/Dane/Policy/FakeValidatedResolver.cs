using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// An in-memory <see cref="IValidatedResolver"/>: answers are set per (name, type); anything not set is a Secure NODATA
/// (a proven absence), so a test only states what exists.
/// </summary>
internal sealed class FakeValidatedResolver : IValidatedResolver
{
    private readonly Dictionary<(DnsName, DnsRecordType), ValidatedAnswer> _answers = new();

    public ConcurrentQueue<(string Name, DnsRecordType Type)> Queries { get; } = new();

    public static ValidationReason? ReasonFor(DnssecStatus status, bool nx = false, bool nodata = false) => status switch
    {
        DnssecStatus.Secure when nx => Reason(ReasonCodes.NameDoesNotExist, "The name's absence was proven."),
        DnssecStatus.Secure when nodata => Reason(ReasonCodes.NoData, "The type's absence was proven."),
        DnssecStatus.Secure => null,
        DnssecStatus.Insecure => Reason(ReasonCodes.InsecureDelegation, "The zone lies below an insecure delegation."),
        DnssecStatus.Bogus => Reason(ReasonCodes.RrsigExpired, "The RRSIG has expired."),
        _ => Reason(ReasonCodes.ServerFailure, "The resolver answered SERVFAIL."),
    };

    public static ValidationReason Reason(string code, string message) =>
        new(code, ReasonCodes.ExtendedDnsErrorOf(code), null, null, message);

    public Task<ValidatedAnswer> ResolveAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Queries.Enqueue((DaneDomainChecker.Display(name), type));
        lock (_answers)
        {
            if (_answers.TryGetValue((name, type), out var a)) return Task.FromResult(a);
        }
        return Task.FromResult(new ValidatedAnswer(name, type, DnssecStatus.Secure, ReasonFor(DnssecStatus.Secure, nodata: true), isNoData: true));
    }

    public bool WasQueried(string name, DnsRecordType type) => Queries.Any(q => q.Name == name && q.Type == type);

    public FakeValidatedResolver Set(ValidatedAnswer answer)
    {
        lock (_answers) _answers[(answer.Name, answer.Type)] = answer;
        return this;
    }

    public FakeValidatedResolver Set(string name, DnsRecordType type, DnssecStatus status, IEnumerable<string>? rdata = null,
        IEnumerable<CnameLink>? chain = null, bool nx = false, DateTime? expires = null, IEnumerable<string>? warnings = null,
        ValidationReason? reason = null)
    {
        var q = DnsName.Parse(name);
        var links = chain?.ToList() ?? new List<CnameLink>();
        var owner = links.Count > 0 ? links[^1].Target : q;
        var records = (rdata ?? Enumerable.Empty<string>())
            .Select(r => ResourceRecord.Parse($"{owner} 300 IN {type} {r}")).ToList();
        bool nodata = !nx && records.Count == 0 && status is DnssecStatus.Secure or DnssecStatus.Insecure;
        return Set(new ValidatedAnswer(q, type, status, reason ?? ReasonFor(status, nx, nodata), records, links, nx, nodata && !nx, expires, warnings));
    }

    /// <summary>Sets the MX RRset, e.g. <c>Mx("example.com", Secure, "10 mx1.example.com.")</c>.</summary>
    public FakeValidatedResolver Mx(string domain, DnssecStatus status, params string[] mx) =>
        Set(domain, DnsRecordType.MX, status, mx);

    /// <summary>Sets the A and AAAA answers of a host from a list of addresses (each family gets its own answer).</summary>
    public FakeValidatedResolver Host(string host, DnssecStatus status, params string[] addresses) =>
        HostVia(host, null, status, addresses);

    /// <summary>Sets the A and AAAA answers of a host reached through CNAME links.</summary>
    public FakeValidatedResolver HostVia(string host, IEnumerable<CnameLink>? chain, DnssecStatus status, params string[] addresses)
    {
        var ips = addresses.Select(IPAddress.Parse).ToList();
        Set(host, DnsRecordType.A, status, ips.Where(i => i.AddressFamily == AddressFamily.InterNetwork).Select(i => i.ToString()), chain);
        Set(host, DnsRecordType.AAAA, status, ips.Where(i => i.AddressFamily == AddressFamily.InterNetworkV6).Select(i => i.ToString()), chain);
        return this;
    }

    /// <summary>Sets the TLSA RRset at <c>_port._tcp.host</c>.</summary>
    public FakeValidatedResolver Tlsa(string host, DnssecStatus status, params string[] rdata) =>
        Set($"_25._tcp.{host}", DnsRecordType.TLSA, status, rdata);

    public static CnameLink Link(string owner, string target, DnssecStatus status) => new(DnsName.Parse(owner), DnsName.Parse(target), status);
}
