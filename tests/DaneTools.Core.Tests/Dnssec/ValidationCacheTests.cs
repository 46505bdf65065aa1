using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class ValidationCacheTests
{
    private static readonly DateTime Now = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GetOrAddAsync_ConcurrentCallers_FactoryRunsOnce()
    {
        var cache = new ValidationCache();
        int runs = 0;
        var gate = new TaskCompletionSource<bool>();
        async Task<(string, bool, DateTime, DateTime, DateTime)> Factory()
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return ("value", true, Now.AddHours(1), Now.AddDays(-1), Now.AddDays(1));
        }
        var tasks = Enumerable.Range(0, 10).Select(_ => cache.GetOrAddAsync("k", Now, Now, Factory, CancellationToken.None)).ToList();
        gate.SetResult(true);
        var results = await Task.WhenAll(tasks);
        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal("value", r.Value));
        Assert.Equal(9, results.Count(r => r.Hit));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task GetOrAddAsync_ExpiredOrOutsideWindowOrUncacheable_Recomputed()
    {
        var cache = new ValidationCache();
        int runs = 0;
        Task<(string, bool, DateTime, DateTime, DateTime)> Factory(bool cacheable) =>
            Task.FromResult(("v" + Interlocked.Increment(ref runs), cacheable, Now.AddMinutes(5), Now.AddDays(-1), Now.AddDays(1)));

        await cache.GetOrAddAsync("k", Now, Now, () => Factory(true), CancellationToken.None);
        Assert.True((await cache.GetOrAddAsync("k", Now.AddMinutes(4), Now, () => Factory(true), CancellationToken.None)).Hit);
        Assert.False((await cache.GetOrAddAsync("k", Now.AddMinutes(6), Now, () => Factory(true), CancellationToken.None)).Hit); // TTL over
        Assert.False((await cache.GetOrAddAsync("k", Now, Now.AddDays(2), () => Factory(true), CancellationToken.None)).Hit); // validation time outside the RRSIG window
        await cache.GetOrAddAsync("u", Now, Now, () => Factory(false), CancellationToken.None);
        Assert.False((await cache.GetOrAddAsync("u", Now, Now, () => Factory(false), CancellationToken.None)).Hit);
        Assert.Equal(5, runs);
    }

    [Fact]
    public async Task GetOrAddAsync_BoundReached_EntriesInUseStay_OthersAgeOut()
    {
        var cache = new ValidationCache(maxEntries: 8);
        var runs = new System.Collections.Generic.Dictionary<string, int>();
        Task<(string, bool, DateTime, DateTime, DateTime)> Factory(string key)
        {
            runs[key] = runs.TryGetValue(key, out var n) ? n + 1 : 1;
            return Task.FromResult((key, true, Now.AddHours(1), Now.AddDays(-1), Now.AddDays(1)));
        }
        for (int i = 0; i < 100; i++)
        {
            // A key asked for between every new one (the root's keys in a bulk run) is computed once.
            Assert.Equal("hot", (await cache.GetOrAddAsync("hot", Now, Now, () => Factory("hot"), CancellationToken.None)).Value);
            await cache.GetOrAddAsync("cold" + i, Now, Now, () => Factory("cold" + i), CancellationToken.None);
            Assert.True(cache.Count <= 8 + 1, $"{cache.Count} entries after {i + 1} cold keys");
        }
        Assert.Equal(1, runs["hot"]);
        // The first cold keys aged out: asked again, they are computed again.
        Assert.False((await cache.GetOrAddAsync("cold0", Now, Now, () => Factory("cold0"), CancellationToken.None)).Hit);
        Assert.Equal(2, runs["cold0"]);
        // A recent one is still there.
        Assert.True((await cache.GetOrAddAsync("cold99", Now, Now, () => Factory("cold99"), CancellationToken.None)).Hit);
    }

    [Fact]
    public async Task GetOrAddAsync_LeaderFails_FollowerComputesItself()
    {
        var cache = new ValidationCache();
        var gate = new TaskCompletionSource<bool>();
        async Task<(string, bool, DateTime, DateTime, DateTime)> Failing()
        {
            await gate.Task;
            throw new InvalidOperationException("source failed");
        }
        var leader = cache.GetOrAddAsync("k", Now, Now, Failing, CancellationToken.None);
        var follower = cache.GetOrAddAsync("k", Now, Now, () => Task.FromResult(("mine", true, Now.AddHours(1), Now, Now)), CancellationToken.None);
        gate.SetResult(true);
        await Assert.ThrowsAsync<InvalidOperationException>(() => leader);
        Assert.Equal("mine", (await follower).Value);
    }
}
