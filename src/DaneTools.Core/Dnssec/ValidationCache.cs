using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Caches validated key entries and zone-cut (DS) proofs per zone, with their TTL and RRSIG validity, and
/// de-duplicates work in flight, so many names under one zone validate that zone's keys once (DESIGN.md section 8).
/// </summary>
/// <remarks>
/// Safe for concurrent use by many validations. An entry is reused only while the clock is before its expiry
/// (smallest TTL, at most <see cref="MaxTtl"/>) and the validation time lies inside the validity window of the
/// RRSIGs it rests on. Entries made under different trust anchors or StrictSha1 settings are kept apart.
/// Indeterminate and work-limit results are never cached.
/// </remarks>
public sealed class ValidationCache
{
    /// <summary>The longest time an entry is kept, whatever its TTL.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);

    /// <summary>How long a Bogus result is kept (as Unbound does for bad key entries).</summary>
    public static readonly TimeSpan BogusTtl = TimeSpan.FromSeconds(60);

    // Two generations: new entries go to the young one; when it holds half the bound it becomes the old one (the
    // previous old one is dropped). An entry read from the old generation moves back to the young one, so keys used
    // all the time (the root, the TLDs) stay while the entries of names checked once age out: memory is bounded
    // without re-validating the top of the tree at every turn.
    private volatile ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, Entry> _old = new(StringComparer.Ordinal);
    private readonly object _turnGate = new();
    private readonly ConcurrentDictionary<string, Task<Entry>> _inFlight = new(StringComparer.Ordinal);
    private readonly int _maxEntries;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="maxEntries">The most entries kept, over both generations (the older half is dropped when the newer
    /// half is full; entries still in use move to the newer half). Default 100,000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntries"/> is not positive.</exception>
    public ValidationCache(int maxEntries = 100_000)
    {
        if (maxEntries <= 0) throw new ArgumentOutOfRangeException(nameof(maxEntries));
        _maxEntries = maxEntries;
    }

    /// <summary>Gets the number of cached entries (both generations; a promoted entry may be counted twice).</summary>
    public int Count => _entries.Count + _old.Count;

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_turnGate)
        {
            _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
            _old = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Returns a cached value usable now, or runs <paramref name="factory"/> once for all concurrent callers of the
    /// same key and caches its result when the factory marks it cacheable.
    /// </summary>
    internal async Task<(T Value, bool Hit)> GetOrAddAsync<T>(string key, DateTime clockNow, DateTime validationTime,
        Func<Task<(T Value, bool Cacheable, DateTime ExpiresUtc, DateTime WindowStart, DateTime WindowEnd)>> factory, CancellationToken cancellationToken)
        where T : class
    {
        if (TryGet<T>(key, clockNow, validationTime, out var cached)) return (cached!, true);

        var tcs = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var existing = _inFlight.GetOrAdd(key, tcs.Task);
        if (!ReferenceEquals(existing, tcs.Task))
        {
            try
            {
                var shared = await existing.ConfigureAwait(false);
                if (shared.Cacheable && shared.Value is T v && shared.IsUsable(clockNow, validationTime)) return (v, true);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The leader failed (e.g. was cancelled); do the work ourselves.
            }
            var own = await factory().ConfigureAwait(false);
            if (own.Cacheable) Store(key, new Entry(own.Value, true, own.ExpiresUtc, own.WindowStart, own.WindowEnd));
            return (own.Value, false);
        }

        try
        {
            var result = await factory().ConfigureAwait(false);
            var entry = new Entry(result.Value, result.Cacheable, result.ExpiresUtc, result.WindowStart, result.WindowEnd);
            if (result.Cacheable) Store(key, entry);
            tcs.TrySetResult(entry);
            return (result.Value, false);
        }
        catch (Exception ex)
        {
            tcs.TrySetException(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private bool TryGet<T>(string key, DateTime clockNow, DateTime validationTime, out T? value)
        where T : class
    {
        value = null;
        var young = _entries;
        bool fromOld = false;
        if (!young.TryGetValue(key, out var entry))
        {
            if (!_old.TryGetValue(key, out entry)) return false;
            fromOld = true;
        }
        if (!entry.IsUsable(clockNow, validationTime))
        {
            if (clockNow >= entry.ExpiresUtc) (fromOld ? _old : young).TryRemove(key, out _);
            return false;
        }
        value = entry.Value as T;
        if (value is not null && fromOld) Store(key, entry);
        return value is not null;
    }

    private void Store(string key, Entry entry)
    {
        if (_entries.Count >= Math.Max(1, _maxEntries / 2))
        {
            lock (_turnGate)
            {
                if (_entries.Count >= Math.Max(1, _maxEntries / 2))
                {
                    _old = _entries;
                    _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
                }
            }
        }
        _entries[key] = entry;
    }

    private sealed class Entry
    {
        public Entry(object value, bool cacheable, DateTime expiresUtc, DateTime windowStart, DateTime windowEnd)
        {
            Value = value;
            Cacheable = cacheable;
            ExpiresUtc = expiresUtc;
            WindowStart = windowStart;
            WindowEnd = windowEnd;
        }

        public object Value { get; }

        public bool Cacheable { get; }

        public DateTime ExpiresUtc { get; }

        public DateTime WindowStart { get; }

        public DateTime WindowEnd { get; }

        public bool IsUsable(DateTime clockNow, DateTime validationTime) =>
            clockNow < ExpiresUtc && validationTime >= WindowStart && validationTime <= WindowEnd;
    }
}
