using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dns;

/// <summary>
/// Resolves by itself from the root: asks authoritative servers with RD=0, starting at the root hints (or the
/// deepest zone cut it has already learnt) and following referrals, for use when no DNSSEC-aware resolver can be
/// had (RFC 1034 section 5.3.3, RFC 4035 section 4.1).
/// </summary>
/// <remarks>
/// <para>Answers are unvalidated like any other; the validator checks them, so a forged referral or glue costs an
/// answer, never a wrong Secure. Referrals must move down the tree (a referral to a zone that does not lie below
/// the one asked is lame and the next server is tried), at most <see cref="MaxReferrals"/> per question.</para>
/// <para>Delegations (zone cut to server addresses) are cached for their NS TTL (at most one day, at most
/// <see cref="MaxCachedDelegations"/> zones) and shared by every question; the same question asked twice at once is
/// sent once. Each server is asked with its own timeout; a server that does not answer, or answers SERVFAIL or
/// REFUSED, is followed by the zone's next one. Name servers without glue are resolved through this source too, at
/// most <see cref="MaxDepth"/> deep.</para>
/// <para>Safe for concurrent use.</para>
/// </remarks>
public sealed class IterativeRecordSource : IDnsIoModeSource
{
    /// <summary>The most referrals followed for one question.</summary>
    public const int MaxReferrals = 16;

    /// <summary>How deep name-server address lookups may nest (a server name in a zone whose server needs a lookup...).</summary>
    public const int MaxDepth = 4;

    /// <summary>The most servers of one zone asked for one question.</summary>
    public const int MaxServersPerZone = 4;

    /// <summary>The most zone cuts kept in the delegation cache.</summary>
    public const int MaxCachedDelegations = 4096;

    private static readonly TimeSpan MaxDelegationTtl = TimeSpan.FromDays(1);

    private readonly IReadOnlyList<IPEndPoint> _rootHints;
    private readonly Func<IPEndPoint, IDnsRecordSource> _serverFactory;
    private readonly ConcurrentDictionary<string, IDnsRecordSource> _servers = new(StringComparer.Ordinal);
    // Shared with the views in other I/O modes (WithIoMode): one delegation cache and one count per run.
    private readonly ConcurrentDictionary<DnsName, Delegation> _delegations;
    private readonly ConcurrentDictionary<(DnsName, DnsRecordType), Task<DnsResponse>> _inFlight;
    private readonly int[] _queriesSent;

    /// <summary>Creates the source.</summary>
    /// <param name="rootHints">The root servers to start from (IANA's: <see cref="IanaRootHints"/>).</param>
    /// <param name="serverFactory">Makes a source that asks one authoritative server with RD=0.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rootHints"/> is empty.</exception>
    public IterativeRecordSource(IReadOnlyList<IPEndPoint> rootHints, Func<IPEndPoint, IDnsRecordSource> serverFactory)
    {
        if (rootHints is null) throw new ArgumentNullException(nameof(rootHints));
        if (rootHints.Count == 0) throw new ArgumentException("At least one root hint is needed.", nameof(rootHints));
        _rootHints = rootHints.ToArray();
        _serverFactory = serverFactory ?? throw new ArgumentNullException(nameof(serverFactory));
        _delegations = new ConcurrentDictionary<DnsName, Delegation>();
        _inFlight = new ConcurrentDictionary<(DnsName, DnsRecordType), Task<DnsResponse>>();
        _queriesSent = new int[1];
    }

    // A view in another I/O mode: the same root hints, delegation cache and counts; each server asked in that mode.
    private IterativeRecordSource(IterativeRecordSource other, DnsIoMode mode)
    {
        _rootHints = other._rootHints;
        _serverFactory = endpoint => other._serverFactory(endpoint).WithIoMode(mode);
        _delegations = other._delegations;
        _inFlight = other._inFlight;
        _queriesSent = other._queriesSent;
        IoMode = mode;
    }

    /// <inheritdoc/>
    public DnsIoMode IoMode { get; }

    /// <inheritdoc/>
    public IDnsRecordSource WithIoMode(DnsIoMode mode) => mode == IoMode ? this : new IterativeRecordSource(this, mode);

    /// <summary>
    /// Creates the source over DnsClient (UDP with TCP on truncation, DO bit, EDNS buffer 1232, RD=0, no retry: the
    /// next server is the retry).
    /// </summary>
    /// <param name="rootHints">The root servers; null or empty for <see cref="IanaRootHints"/>.</param>
    /// <param name="timeoutSeconds">The time to wait for one server's answer, in seconds (at least 1).</param>
    /// <returns>The source.</returns>
    /// <exception cref="InvalidOperationException">The resolver guard is on and a root hint is outside the machine and the lab.</exception>
    public static IterativeRecordSource Create(IReadOnlyList<IPEndPoint>? rootHints, int timeoutSeconds)
    {
        var hints = rootHints is { Count: > 0 } ? rootHints : IanaRootHints;
        foreach (var hint in hints) ResolverGuard.Check(hint);
        return new IterativeRecordSource(hints, endpoint => new DnsClientRecordSource(new DnsTransportOptions
        {
            Servers = new[] { endpoint },
            TimeoutSeconds = Math.Max(1, timeoutSeconds),
            Retries = 0,
            RecursionDesired = false,
        }));
    }

    /// <summary>Gets the IANA root servers' addresses (a-m.root-servers.net, IPv4 then IPv6), from IANA's root hints file.</summary>
    public static IReadOnlyList<IPEndPoint> IanaRootHints { get; } = new[]
    {
        "198.41.0.4", "170.247.170.2", "192.33.4.12", "199.7.91.13", "192.203.230.10", "192.5.5.241", "192.112.36.4",
        "198.97.190.53", "192.36.148.17", "192.58.128.30", "193.0.14.129", "199.7.83.42", "202.12.27.33",
        "2001:503:ba3e::2:30", "2801:1b8:10::b", "2001:500:2::c", "2001:500:2d::d", "2001:500:a8::e", "2001:500:2f::f",
        "2001:500:12::d0d", "2001:500:1::53", "2001:7fe::53", "2001:503:c27::2:30", "2001:7fd::1", "2001:500:9f::42", "2001:dc3::35",
    }.Select(a => new IPEndPoint(IPAddress.Parse(a), 53)).ToArray();

    /// <summary>Gets the root servers this source starts from, as <c>address:port</c>.</summary>
    public IReadOnlyList<string> RootHints => _rootHints.Select(DnsServerEndpoint.Format).ToArray();

    /// <summary>Gets how many questions were sent to servers so far (for the benchmark and tests).</summary>
    public int QueriesSent => Volatile.Read(ref _queriesSent[0]);

    /// <inheritdoc/>
    /// <exception cref="DnsTransportException">No server of the zone answered, or the referrals went on too long or upwards.</exception>
    public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        return QueryAsync(name, type, 0, cancellationToken);
    }

    private async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Only top-level questions are shared: a name-server lookup waiting for a question that waits for it
        // (a delegation cycle) would never end; unshared, the cycle ends at MaxDepth.
        if (depth > 0) return await ResolveAsync(name, type, depth, cancellationToken).ConfigureAwait(false);
        var key = (name, type);
        var mine = new TaskCompletionSource<DnsResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _inFlight.GetOrAdd(key, mine.Task);
        if (shared != mine.Task) return await shared.ConfigureAwait(false);
        try
        {
            var response = await ResolveAsync(name, type, depth, cancellationToken).ConfigureAwait(false);
            mine.TrySetResult(response);
            return response;
        }
        catch (OperationCanceledException)
        {
            mine.TrySetCanceled();
            throw;
        }
        catch (Exception ex)
        {
            mine.TrySetException(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<DnsResponse> ResolveAsync(DnsName name, DnsRecordType type, int depth, CancellationToken cancellationToken)
    {
        // DS lives on the parent side of a zone cut: the search starts above the name.
        var start = type == DnsRecordType.DS && !name.IsRoot ? name.Parent : name;
        var (zone, servers) = ClosestDelegation(start);
        string question = $"{name} {DnsRecordTypeText.ToText(type)}";
        for (int hop = 0; hop <= MaxReferrals; hop++)
        {
            var answer = await AskZoneAsync(zone, servers, name, type, question, cancellationToken).ConfigureAwait(false);
            var cut = ReferralCut(answer, name, zone);
            if (cut is null || (type == DnsRecordType.DS && cut.Equals(name))) return answer;
            var ns = answer.Authority.Where(r => r.Type == DnsRecordType.NS && r.Owner.Equals(cut)).ToList();
            var addresses = await AddressesAsync(ns, answer.Additional, cut, depth, cancellationToken).ConfigureAwait(false);
            if (addresses.Count == 0)
                throw new DnsTransportException($"{question}: the servers of {cut} have no usable address (referral from {answer.Server}).", isTimeout: false);
            Remember(cut, addresses, ns.Min(r => r.Ttl));
            zone = cut;
            servers = addresses;
        }
        throw new DnsTransportException($"{question}: more than {MaxReferrals} referrals.", isTimeout: false);
    }

    // A referral: no answer, NOERROR, no SOA, and an NS RRset for a zone strictly below the one asked and at or
    // above the name. An NS RRset that does not move down the tree is no referral (and may be an upward one).
    private static DnsName? ReferralCut(DnsResponse answer, DnsName name, DnsName zone)
    {
        if (answer.Rcode != DnsResponseCode.NoError || answer.Answer.Count > 0 || answer.Authority.Any(r => r.Type == DnsRecordType.SOA)) return null;
        return answer.Authority
            .Where(r => r.Type == DnsRecordType.NS && name.IsSubdomainOf(r.Owner) && r.Owner.IsSubdomainOf(zone) && !r.Owner.Equals(zone))
            .Select(r => r.Owner).OrderByDescending(o => o.LabelCount).FirstOrDefault();
    }

    private async Task<DnsResponse> AskZoneAsync(DnsName zone, IReadOnlyList<IPEndPoint> servers, DnsName name, DnsRecordType type,
        string question, CancellationToken cancellationToken)
    {
        DnsResponse? refused = null;
        DnsTransportException? last = null;
        foreach (var server in servers.Take(MaxServersPerZone))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Interlocked.Increment(ref _queriesSent[0]);
                var response = await Server(server).QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
                if (response.Rcode is DnsResponseCode.ServFail or DnsResponseCode.Refused)
                {
                    refused ??= response;
                    continue;
                }
                if (IsLame(response, name, zone))
                {
                    refused ??= new DnsResponse(DnsResponseCode.ServFail, server: response.Server);
                    continue;
                }
                return response;
            }
            catch (DnsTransportException ex)
            {
                last = ex;
            }
        }
        if (refused is not null) return refused;
        throw new DnsTransportException($"{question}: no server of {(zone.IsRoot ? "the root" : zone.ToString())} answered ({string.Join(", ", servers.Take(MaxServersPerZone).Select(DnsServerEndpoint.Format))})"
            + (last is null ? "." : $": {last.Message}"), last?.IsTimeout ?? true, last);
    }

    // An answer-less NOERROR whose authority holds NS records that do not lead down from the zone asked (an upward
    // referral) says nothing about the name: try the zone's next server.
    private static bool IsLame(DnsResponse response, DnsName name, DnsName zone) =>
        response.Rcode == DnsResponseCode.NoError && response.Answer.Count == 0
        && !response.Authority.Any(r => r.Type == DnsRecordType.SOA)
        && response.Authority.Any(r => r.Type == DnsRecordType.NS)
        && !response.Authority.Any(r => r.Type == DnsRecordType.NS && name.IsSubdomainOf(r.Owner) && r.Owner.IsSubdomainOf(zone) && !r.Owner.Equals(zone));

    private async Task<List<IPEndPoint>> AddressesAsync(List<ResourceRecord> nsRecords, IReadOnlyList<ResourceRecord> glue, DnsName cut, int depth,
        CancellationToken cancellationToken)
    {
        var result = new List<IPEndPoint>();
        var withoutGlue = new List<DnsName>();
        foreach (var ns in nsRecords)
        {
            DnsName host;
            try
            {
                int offset = 0;
                host = DnsName.ReadWire(ns.GetRdata(), ref offset);
            }
            catch (FormatException)
            {
                continue;
            }
            // Glue is taken only for the name servers the referral names.
            var addresses = glue.Where(g => g.Owner.Equals(host) && g.Type is DnsRecordType.A or DnsRecordType.AAAA).ToList();
            if (addresses.Count == 0) withoutGlue.Add(host);
            foreach (var a in addresses) Add(result, a);
        }
        // Name servers without glue are looked up only when no glued one is usable, and never below the cut
        // itself (that lookup would need the very servers it looks for).
        if (result.Count == 0 && depth < MaxDepth)
        {
            foreach (var host in withoutGlue.Where(h => !h.IsSubdomainOf(cut)).Take(MaxServersPerZone))
            {
                foreach (var t in new[] { DnsRecordType.A, DnsRecordType.AAAA })
                {
                    try
                    {
                        var r = await QueryAsync(host, t, depth + 1, cancellationToken).ConfigureAwait(false);
                        foreach (var a in r.Answer.Where(a => a.Type == t && a.Owner.Equals(host))) Add(result, a);
                    }
                    catch (DnsTransportException)
                    {
                        // A name server without addresses is skipped.
                    }
                }
                if (result.Count > 0) break;
            }
        }
        return result;
    }

    private static void Add(List<IPEndPoint> result, ResourceRecord address)
    {
        var bytes = address.GetRdata();
        if (bytes.Length != (address.Type == DnsRecordType.A ? 4 : 16)) return;
        var endpoint = new IPEndPoint(new IPAddress(bytes), 53);
        if (result.Contains(endpoint)) return;
        // While tests run, addresses outside the machine and the lab are never asked (ResolverGuard).
        if (ResolverGuard.IsEnabled && !ResolverGuard.IsLocal(endpoint.Address)) return;
        result.Add(endpoint);
    }

    private (DnsName Zone, IReadOnlyList<IPEndPoint> Servers) ClosestDelegation(DnsName name)
    {
        var now = DateTime.UtcNow;
        for (var zone = name; !zone.IsRoot; zone = zone.Parent)
        {
            if (_delegations.TryGetValue(zone, out var d))
            {
                if (d.ExpiresUtc > now) return (zone, d.Servers);
                _delegations.TryRemove(zone, out _);
            }
        }
        return (DnsName.Root, _rootHints);
    }

    private void Remember(DnsName zone, List<IPEndPoint> servers, uint ttl)
    {
        // Bounded: past the limit the cache starts again (the root and TLD cuts are learnt again in one referral each).
        if (_delegations.Count >= MaxCachedDelegations) _delegations.Clear();
        var lifetime = TimeSpan.FromSeconds(Math.Min(ttl, MaxDelegationTtl.TotalSeconds));
        _delegations[zone] = new Delegation(servers, DateTime.UtcNow + lifetime);
    }

    private IDnsRecordSource Server(IPEndPoint endpoint) =>
        _servers.GetOrAdd(DnsServerEndpoint.Format(endpoint), _ => _serverFactory(endpoint));

    private sealed class Delegation
    {
        public Delegation(IReadOnlyList<IPEndPoint> servers, DateTime expiresUtc)
        {
            Servers = servers;
            ExpiresUtc = expiresUtc;
        }

        public IReadOnlyList<IPEndPoint> Servers { get; }

        public DateTime ExpiresUtc { get; }
    }
}
