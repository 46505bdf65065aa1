using System;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dns;

/// <summary>Counts the questions asked through another source (for -Verbose and the benchmark); answers unchanged.</summary>
/// <remarks>Safe for concurrent use.</remarks>
public sealed class CountingRecordSource : IDnsIoModeSource
{
    private readonly IDnsRecordSource _inner;
    // Shared with the views in other I/O modes, so one run counts once.
    private readonly int[] _questions;

    /// <summary>Creates the source.</summary>
    /// <param name="inner">The source that answers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public CountingRecordSource(IDnsRecordSource inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _questions = new int[1];
    }

    private CountingRecordSource(IDnsRecordSource inner, int[] questions)
    {
        _inner = inner;
        _questions = questions;
    }

    /// <summary>Gets the source that answers.</summary>
    public IDnsRecordSource Inner => _inner;

    /// <summary>Gets how many questions were asked so far.</summary>
    public int Questions => Volatile.Read(ref _questions[0]);

    /// <inheritdoc/>
    public DnsIoMode IoMode => _inner is IDnsIoModeSource s ? s.IoMode : DnsIoMode.Awaited;

    /// <inheritdoc/>
    public IDnsRecordSource WithIoMode(DnsIoMode mode)
    {
        var inner = _inner.WithIoMode(mode);
        return ReferenceEquals(inner, _inner) ? this : new CountingRecordSource(inner, _questions);
    }

    /// <inheritdoc/>
    public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _questions[0]);
        return _inner.QueryAsync(name, type, cancellationToken);
    }
}
