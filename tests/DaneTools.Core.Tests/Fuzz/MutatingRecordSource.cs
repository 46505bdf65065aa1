using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Fuzz;

/// <summary>
/// Wraps a world's <see cref="IDnsRecordSource"/> and returns mutated answers for chosen questions.
/// </summary>
/// <remarks>
/// <para>Every genuine response the inner source returns is added to <see cref="FuzzWorld.Genuine"/> before any
/// mutation, so the oracle knows what the unmutated world holds. A targeted question is mutated once, with a
/// random source seeded from the case's seed and the question, and the same mutated response is returned every
/// time it is asked again (a consistent liar, not a flaky one; the result does not depend on asking order).</para>
/// <para>A question the world does not hold (a fixture gap reached through a mutated name) becomes a
/// <see cref="DnsTransportException"/>, as a real source reports a server that does not answer: the validator's
/// documented path, never a test-only exception escaping. Queries are counted here, independently of the
/// validator's own counters.</para>
/// </remarks>
internal sealed class MutatingRecordSource : IDnsRecordSource
{
    private readonly FuzzWorld _world;
    private readonly IDnsRecordSource _inner;
    private readonly Func<DnsName, DnsRecordType, DnsResponse, (DnsResponse, string)?>? _mutate;
    private readonly ConcurrentDictionary<(DnsName, DnsRecordType), (DnsResponse Response, string? Description)> _served = new();
    private int _queries;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="world">The world (its genuine-record catalogue is filled from here).</param>
    /// <param name="mutate">Given a question and its genuine response, the mutated response and its description, or null to serve it as is; null serves everything as is.</param>
    public MutatingRecordSource(FuzzWorld world, Func<DnsName, DnsRecordType, DnsResponse, (DnsResponse, string)?>? mutate)
    {
        _world = world;
        _inner = world.CreateSource();
        _mutate = mutate;
    }

    /// <summary>Gets the number of questions asked.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Gets the descriptions of the mutations served, in no particular order.</summary>
    public IReadOnlyList<string> Mutations => _served.Where(kv => kv.Value.Description is not null)
        .Select(kv => $"{kv.Key.Item1} {DnsRecordTypeText.ToText(kv.Key.Item2)}: {kv.Value.Description}").OrderBy(s => s, StringComparer.Ordinal).ToList();

    /// <summary>Gets the questions asked and the responses served (mutated or not).</summary>
    public IReadOnlyDictionary<(DnsName, DnsRecordType), (DnsResponse Response, string? Description)> Served => _served;

    /// <inheritdoc/>
    public async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _queries);
        cancellationToken.ThrowIfCancellationRequested();
        if (_served.TryGetValue((name, type), out var served)) return served.Response;
        DnsResponse genuine;
        try
        {
            genuine = await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException && ex is not OperationCanceledException)
        {
            throw new DnsTransportException($"The world {_world.Name} holds no answer for {name} {DnsRecordTypeText.ToText(type)}.", false, ex);
        }
        _world.AddGenuine(genuine);
        var mutated = _mutate?.Invoke(name, type, genuine);
        var entry = mutated is null ? (genuine, (string?)null) : (mutated.Value.Item1, mutated.Value.Item2);
        return _served.GetOrAdd((name, type), entry).Response;
    }
}
