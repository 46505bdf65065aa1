using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

/// <summary>
/// Adapts our own DNSSEC validator (<see cref="ChainValidator"/>) to the narrow <see cref="IValidatedResolver"/> the
/// RFC 7672 policy needs: status, reason, final RRset, CNAME links with their statuses, proven absence, the earliest
/// RRSIG expiration on the path, the Original TTL of the final RRset's RRSIG and the validator's warnings.
/// </summary>
/// <remarks>
/// The validator's result carries no response code for an Insecure answer, so an unsigned NXDOMAIN reads as NODATA
/// (an implicit MX whose host then has no addresses). One instance may serve concurrent checks: the validator and
/// its cache are thread-safe.
/// </remarks>
public sealed class ChainValidatorResolver : IValidatedResolver
{
    private readonly ChainValidator _validator;

    /// <summary>Creates the adapter.</summary>
    /// <param name="validator">The validator (with its shared cache).</param>
    /// <exception cref="ArgumentNullException"><paramref name="validator"/> is null.</exception>
    public ChainValidatorResolver(ChainValidator validator)
    {
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
    }

    /// <inheritdoc/>
    public async Task<ValidatedAnswer> ResolveAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var result = await _validator.ValidateAsync(name, type, cancellationToken).ConfigureAwait(false);
        return ToAnswer(name, type, result);
    }

    internal static ValidatedAnswer ToAnswer(DnsName name, DnsRecordType type, DnssecChainResult result)
    {
        // The validated records themselves travel on; their text is made only where a user reads it.
        var records = result.Records.Where(r => r.Type == type).Select(r => r.GetResourceRecord()).ToList();
        var chain = result.Aliases.Select(a => new CnameLink(a.OwnerName, a.TargetName, a.Status)).ToList();
        bool usable = result.Status is DnssecStatus.Secure or DnssecStatus.Insecure;
        bool nx = result.ReasonCode == ReasonCodes.NameDoesNotExist;
        bool nodata = !nx && (result.ReasonCode == ReasonCodes.NoData || (usable && records.Count == 0));
        var expirations = result.AnswerSignatures.Concat(result.Links.SelectMany(l => l.Signatures))
            .Where(s => s.OutcomeKind == SignatureOutcome.Valid)
            .Select(s => s.ExpirationUtc)
            .ToList();
        DateTime? earliest = expirations.Count > 0 ? expirations.Min() : null;
        // The zone's TTL for the final RRset: the Original TTL of the RRSIG that validated it (RFC 4035 section 5.3.3).
        var owner = records.Count > 0 ? records[0].Owner.ToString() : null;
        uint? originalTtl = result.AnswerSignatures
            .Where(s => s.OutcomeKind == SignatureOutcome.Valid && s.TypeCovered == type && string.Equals(s.Owner, owner, StringComparison.OrdinalIgnoreCase))
            .Select(s => (uint?)s.OriginalTtl).FirstOrDefault();
        return new ValidatedAnswer(name, type, result.Status, result.Reason, records, chain, nx, nodata, earliest, result.Warnings, originalTtl);
    }
}
