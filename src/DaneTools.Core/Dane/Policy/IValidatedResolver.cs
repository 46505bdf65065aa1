using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dane;

/// <summary>Answers DNS questions with DNSSEC validation done locally (RFC 4033-4035), CNAME chains followed link by link.</summary>
/// <remarks>Validation outcomes are data (<see cref="ValidatedAnswer.Status"/>), never exceptions. Implementations may cache;
/// one instance is shared by concurrent checks, so it must be thread-safe.</remarks>
public interface IValidatedResolver
{
    /// <summary>Resolves and validates one name and type (class IN).</summary>
    /// <param name="name">The query name.</param>
    /// <param name="type">The query type.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The validated answer; a timeout or server failure is an Indeterminate answer.</returns>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="DnsTransportException">No resolver could be reached at all (an operational error, not a verdict).</exception>
    Task<ValidatedAnswer> ResolveAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default);
}
