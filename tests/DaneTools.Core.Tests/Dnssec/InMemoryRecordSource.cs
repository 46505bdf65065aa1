using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>An in-memory <see cref="IDnsRecordSource"/>: a question it does not hold throws, naming the question.</summary>
internal sealed class InMemoryRecordSource : IDnsRecordSource
{
    private readonly Dictionary<(DnsName, DnsRecordType), Func<DnsResponse>> _responses = new();
    private readonly ConcurrentQueue<string> _asked = new();

    public IReadOnlyList<string> Asked => _asked.ToList();

    public TimeSpan Delay { get; set; }

    public int CountOf(string question) => _asked.Count(q => q == question);

    public InMemoryRecordSource Add(string name, DnsRecordType type, IEnumerable<ResourceRecord>? answer, IEnumerable<ResourceRecord>? authority = null,
        DnsResponseCode rcode = DnsResponseCode.NoError)
    {
        var a = (answer ?? Enumerable.Empty<ResourceRecord>()).ToList();
        var b = (authority ?? Enumerable.Empty<ResourceRecord>()).ToList();
        _responses[(DnsName.Parse(name), type)] = () => new DnsResponse(rcode, a, b, null, "127.0.0.1:53");
        return this;
    }

    public InMemoryRecordSource AddFailure(string name, DnsRecordType type, Func<DnsResponse> factory)
    {
        _responses[(DnsName.Parse(name), type)] = factory;
        return this;
    }

    public async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        _asked.Enqueue($"{name} {DnsRecordTypeText.ToText(type)}");
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        if (_responses.TryGetValue((name, type), out var f)) return f();
        throw new InvalidOperationException($"The in-memory source holds no answer for '{name} {DnsRecordTypeText.ToText(type)}'.");
    }
}
