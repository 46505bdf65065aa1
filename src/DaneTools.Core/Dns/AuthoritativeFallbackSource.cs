using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dns;

/// <summary>
/// Asks a validating resolver first and, when it answers SERVFAIL (what a validating resolver says for bogus data),
/// asks the zone's authoritative servers directly with RD=0, as DNSViz does, so the validator sees the data and can
/// name the broken link and the server that served it (DESIGN.md section 4).
/// </summary>
/// <remarks>
/// The authoritative servers are found from the deepest ancestor whose NS RRset the resolver still answers, then by
/// following referrals (at most <see cref="MaxReferrals"/>). Their answers are unvalidated like any other; the
/// validator checks them. When no authoritative server answers, the resolver's SERVFAIL is returned.
/// </remarks>
public sealed class AuthoritativeFallbackSource : IDnsIoModeSource
{
    /// <summary>The most referrals followed for one question.</summary>
    public const int MaxReferrals = 8;

    private readonly IDnsRecordSource _resolver;
    private readonly Func<IPEndPoint, IDnsRecordSource> _authoritative;
    private readonly ConcurrentDictionary<string, IDnsRecordSource> _servers = new(StringComparer.Ordinal);

    /// <summary>Creates the source.</summary>
    /// <param name="resolver">The validating (or any recursive) resolver asked first.</param>
    /// <param name="authoritativeFactory">Makes a source that asks one authoritative server with RD=0.</param>
    public AuthoritativeFallbackSource(IDnsRecordSource resolver, Func<IPEndPoint, IDnsRecordSource> authoritativeFactory)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        IoMode = resolver is IDnsIoModeSource s ? s.IoMode : DnsIoMode.Awaited;
        _authoritative = authoritativeFactory ?? throw new ArgumentNullException(nameof(authoritativeFactory));
    }

    // A view in another I/O mode: the same resolver and servers, each asked in that mode.
    private AuthoritativeFallbackSource(AuthoritativeFallbackSource other, DnsIoMode mode)
    {
        _resolver = other._resolver.WithIoMode(mode);
        _authoritative = endpoint => other._authoritative(endpoint).WithIoMode(mode);
        IoMode = mode;
    }

    /// <inheritdoc/>
    public DnsIoMode IoMode { get; }

    /// <inheritdoc/>
    public IDnsRecordSource WithIoMode(DnsIoMode mode) => mode == IoMode ? this : new AuthoritativeFallbackSource(this, mode);

    /// <summary>Creates the source over DnsClient, with authoritative sources that share the resolver's timeout.</summary>
    /// <param name="options">The resolver's transport options.</param>
    /// <returns>The source.</returns>
    public static AuthoritativeFallbackSource Create(DnsTransportOptions options)
    {
        var resolver = new DnsClientRecordSource(options);
        return new AuthoritativeFallbackSource(resolver, endpoint => new DnsClientRecordSource(new DnsTransportOptions
        {
            Servers = new[] { endpoint },
            TimeoutSeconds = options.TimeoutSeconds,
            Retries = options.Retries,
            RecursionDesired = false,
            IoMode = options.IoMode,
        }));
    }

    /// <inheritdoc/>
    public async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var response = await _resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        if (response.Rcode != DnsResponseCode.ServFail) return response;
        var direct = await AskAuthoritativeAsync(name, type, cancellationToken).ConfigureAwait(false);
        return direct ?? response;
    }

    private async Task<DnsResponse?> AskAuthoritativeAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken)
    {
        // DS lives in the parent: start the search above the name itself.
        var start = type == DnsRecordType.DS && !name.IsRoot ? name.Parent : name;
        var servers = await FindServersAsync(start, cancellationToken).ConfigureAwait(false);
        for (int hop = 0; hop <= MaxReferrals && servers.Count > 0; hop++)
        {
            DnsResponse? answer = null;
            foreach (var server in servers)
            {
                try
                {
                    answer = await Server(server).QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (DnsTransportException)
                {
                    // Try the zone's next server.
                }
            }
            if (answer is null) return null;
            var referral = answer.Answer.Count == 0 && answer.Rcode == DnsResponseCode.NoError
                ? answer.Authority.Where(r => r.Type == DnsRecordType.NS && name.IsSubdomainOf(r.Owner)).ToList()
                : new List<ResourceRecord>();
            if (referral.Count == 0 || (type == DnsRecordType.DS && referral[0].Owner == name)) return answer;
            servers = await AddressesAsync(referral, answer.Additional, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private async Task<List<IPEndPoint>> FindServersAsync(DnsName start, CancellationToken cancellationToken)
    {
        for (var zone = start; ; zone = zone.Parent)
        {
            var ns = await _resolver.QueryAsync(zone, DnsRecordType.NS, cancellationToken).ConfigureAwait(false);
            var records = ns.Answer.Where(r => r.Type == DnsRecordType.NS && r.Owner == zone).ToList();
            if (ns.Rcode == DnsResponseCode.NoError && records.Count > 0)
            {
                var servers = await AddressesAsync(records, ns.Additional, cancellationToken).ConfigureAwait(false);
                if (servers.Count > 0) return servers;
            }
            if (zone.IsRoot) return new List<IPEndPoint>();
        }
    }

    private async Task<List<IPEndPoint>> AddressesAsync(List<ResourceRecord> nsRecords, IReadOnlyList<ResourceRecord> glue, CancellationToken cancellationToken)
    {
        var result = new List<IPEndPoint>();
        foreach (var ns in nsRecords)
        {
            int offset = 0;
            var host = DnsName.ReadWire(ns.GetRdata(), ref offset);
            var addresses = glue.Where(g => g.Owner == host && (g.Type == DnsRecordType.A || g.Type == DnsRecordType.AAAA)).ToList();
            if (addresses.Count == 0)
            {
                foreach (var t in new[] { DnsRecordType.A, DnsRecordType.AAAA })
                {
                    try
                    {
                        var r = await _resolver.QueryAsync(host, t, cancellationToken).ConfigureAwait(false);
                        addresses.AddRange(r.Answer.Where(a => a.Type == t));
                    }
                    catch (DnsTransportException)
                    {
                        // A name server without addresses is skipped.
                    }
                }
            }
            foreach (var a in addresses)
            {
                var endpoint = new IPEndPoint(new IPAddress(a.GetRdata()), 53);
                if (!result.Contains(endpoint) && (!ResolverGuard.IsEnabled || ResolverGuard.IsLocal(endpoint.Address))) result.Add(endpoint);
            }
        }
        return result;
    }

    private IDnsRecordSource Server(IPEndPoint endpoint) =>
        _servers.GetOrAdd(DnsServerEndpoint.Format(endpoint), _ => _authoritative(endpoint));
}
