using System;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dns;

/// <summary>Counts the questions asked through another source (for -Verbose and the benchmark); answers unchanged.</summary>
/// <remarks>Safe for concurrent use.</remarks>
public sealed class CountingRecordSource : IDnsRecordSource
{
    private readonly IDnsRecordSource _inner;
    private int _questions;

    /// <summary>Creates the source.</summary>
    /// <param name="inner">The source that answers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public CountingRecordSource(IDnsRecordSource inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Gets the source that answers.</summary>
    public IDnsRecordSource Inner => _inner;

    /// <summary>Gets how many questions were asked so far.</summary>
    public int Questions => Volatile.Read(ref _questions);

    /// <inheritdoc/>
    public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _questions);
        return _inner.QueryAsync(name, type, cancellationToken);
    }
}
