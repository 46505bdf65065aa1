using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Dns;

/// <summary>
/// Asks one DNS question with the DO bit set and returns what a server said, unvalidated.
/// </summary>
/// <remarks>
/// Production code uses the DnsClient adapter; tests use fixture-backed or in-memory sources. The answer is
/// never trusted as validated: the AD bit is reported only.
/// </remarks>
public interface IDnsRecordSource
{
    /// <summary>Queries one name and type (class IN) with DNSSEC records requested.</summary>
    /// <param name="name">The query name.</param>
    /// <param name="type">The query type.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The response as received.</returns>
    /// <exception cref="System.OperationCanceledException">The query was cancelled.</exception>
    /// <exception cref="DnsTransportException">No response could be obtained (timeout, network error); implementations should use this type.</exception>
    Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default);
}
