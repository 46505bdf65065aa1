using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Sts;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// Lookups that do not depend on each other overlap (issue 20), also on a bulk worker thread whose DNS reads block it
/// (DnsIoMode.Blocking, DESIGN section 8): A with AAAA of a host, the hosts of one domain, the TLS-RPT TXT with the
/// _mta-sts TXT, and A with AAAA of the MTA-STS policy host. The fake resolver blocks a non-pool caller as the real
/// blocking source does; a lookup named in a pair answers only once its partner is in flight, so no lookup ever waits
/// for a partner that has started, and a partner that never starts beside it is recorded (after a guard, not a timing).
/// </summary>
public sealed class DaneDomainCheckerOverlapTests : DaneDomainCheckerTestBase
{
    /// <summary>How long a paired lookup waits for its partner before it answers alone (a deadlock guard, not a measure).</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Answers from an inner fake; a query made on a thread that is not the pool's blocks it until the answer (like
    /// DnsIoMode.Blocking), one made on a pool thread is awaited. Each query of a pair waits for its partner's start.
    /// </summary>
    private sealed class PairingResolver : IValidatedResolver
    {
        private readonly IValidatedResolver _inner;
        private readonly Dictionary<(string, DnsRecordType), (string, DnsRecordType)> _partner = new();
        private readonly ConcurrentDictionary<(string, DnsRecordType), TaskCompletionSource<bool>> _started = new();

        public PairingResolver(IValidatedResolver inner) => _inner = inner;

        /// <summary>The pair members that were answered while their partner was in flight.</summary>
        public ConcurrentBag<(string Name, DnsRecordType Type)> Overlapped { get; } = new();

        /// <summary>The pair members that answered alone: their partner had not started.</summary>
        public ConcurrentBag<(string Name, DnsRecordType Type)> Alone { get; } = new();

        public PairingResolver Pair(string name1, DnsRecordType type1, string name2, DnsRecordType type2)
        {
            _partner[(name1, type1)] = (name2, type2);
            _partner[(name2, type2)] = (name1, type1);
            return this;
        }

        private TaskCompletionSource<bool> Started((string, DnsRecordType) key) =>
            _started.GetOrAdd(key, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

        public Task<ValidatedAnswer> ResolveAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            var key = (DaneDomainChecker.Display(name), type);
            Started(key).TrySetResult(true);
            if (!_partner.TryGetValue(key, out var partner)) return _inner.ResolveAsync(name, type, cancellationToken);
            var partnerStarted = Started(partner).Task;
            if (!Thread.CurrentThread.IsThreadPoolThread)
            {
                // The blocking read: nothing else this thread would start can run until the answer.
                Note(key, partnerStarted.Wait(Guard));
                return _inner.ResolveAsync(name, type, cancellationToken);
            }
            return AwaitedAsync();

            async Task<ValidatedAnswer> AwaitedAsync()
            {
                Note(key, await Task.WhenAny(partnerStarted, Task.Delay(Guard)).ConfigureAwait(false) == partnerStarted);
                return await _inner.ResolveAsync(name, type, cancellationToken).ConfigureAwait(false);
            }
        }

        private void Note((string, DnsRecordType) key, bool overlapped) => (overlapped ? Overlapped : Alone).Add(key);
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread, as the bulk runner's workers do (BulkRunner).</summary>
    private static T OnWorkerThread<T>(Func<Task<T>> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = work().GetAwaiter().GetResult(); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = "test bulk worker" };
        thread.Start();
        thread.Join();
        if (error is not null) throw new AggregateException(error);
        return result;
    }

    [Fact]
    public async Task CheckAsync_OnBlockingWorker_AAndAaaaOfAHostOverlap_VerdictUnchanged()
    {
        SecureSingleHost();
        var expected = await Check();
        var dns = new PairingResolver(_dns).Pair(Mx1, DnsRecordType.A, Mx1, DnsRecordType.AAAA);

        var r = OnWorkerThread(() => new DaneDomainChecker(dns, _smtp).CheckAsync(Domain, Options()));

        Assert.Empty(dns.Alone);
        Assert.Equal(2, dns.Overlapped.Count);
        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Equal(expected.Status, r.Status);
        Assert.Equal(expected.ReasonCode, r.ReasonCode);
    }

    [Fact]
    public async Task CheckAsync_OnBlockingWorker_HostsOfOneDomainOverlap_VerdictUnchanged()
    {
        // RFC 7672 section 2.2.1: every MX host is checked; their lookups do not depend on each other.
        var pki1 = Pki(Mx1);
        var pki2 = Pki(Mx2);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Host(Mx2, Secure, Ip2);
        _dns.Tlsa(Mx1, Secure, DaneEe(pki1.Leaf));
        _dns.Tlsa(Mx2, Secure, DaneEe(pki2.Leaf));
        _smtp.Tls(Ip1, pki1.Chain());
        _smtp.Tls(Ip2, pki2.Chain());
        var expected = await Check(Options(dnsOnly: true));
        // The TLSA lookups come after each host's addresses: they can meet only if the two hosts run side by side.
        var dns = new PairingResolver(_dns).Pair("_25._tcp." + Mx1, DnsRecordType.TLSA, "_25._tcp." + Mx2, DnsRecordType.TLSA);

        var r = OnWorkerThread(() => new DaneDomainChecker(dns, _smtp).CheckAsync(Domain, Options(dnsOnly: true)));

        Assert.Empty(dns.Alone);
        Assert.Equal(2, dns.Overlapped.Count);
        Assert.Equal(DaneStatus.DnsPass, r.Status);
        Assert.Equal(expected.Status, r.Status);
        Assert.Equal(expected.MxHosts.Count, r.MxHosts.Count);
    }

    [Fact]
    public void MtaStsCheck_OnBlockingWorker_TlsRptAndStsTxtOverlap_PolicyHostAAndAaaaOverlap()
    {
        // RFC 8460 section 3 and RFC 8461 section 3.1: the TLS-RPT record does not depend on the MTA-STS record.
        _dns.Set("_mta-sts." + Domain, DnsRecordType.TXT, Secure, new[] { "\"v=STSv1; id=1;\"" });
        var dns = new PairingResolver(_dns)
            .Pair("_smtp._tls." + Domain, DnsRecordType.TXT, "_mta-sts." + Domain, DnsRecordType.TXT)
            .Pair("mta-sts." + Domain, DnsRecordType.A, "mta-sts." + Domain, DnsRecordType.AAAA);

        var r = OnWorkerThread(() => new MtaStsPolicyChecker(dns).CheckAsync(Domain, new MtaStsFetchOptions()));

        Assert.Empty(dns.Alone);
        Assert.Equal(4, dns.Overlapped.Count);
        // No address for the policy host in the fake: a fetch error, as without the overlap.
        Assert.Contains(r.Problems, p => p.ResultType == MtaStsResultTypes.PolicyFetchError);
    }
}
