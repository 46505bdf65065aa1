using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Sts;

/// <summary>
/// The MTA-STS check of one MX host (RFC 8461 section 4): its name against the policy's mx patterns and, per address, the
/// chain the STARTTLS probe captured validated under WebPKI for the MX host name. Immutable.
/// </summary>
public sealed class MtaStsHostResult
{
    private MtaStsHostResult(string hostName, string? matchedPattern, MtaStsHostOutcome outcome, IReadOnlyList<WebPkiResult> webPki, string resultType, string reason)
    {
        HostName = hostName;
        MatchedPattern = matchedPattern;
        Outcome = outcome;
        WebPki = new TextList<WebPkiResult>(webPki);
        ResultType = resultType;
        Reason = reason;
    }

    /// <summary>Gets the MX host name (no trailing dot).</summary>
    public string HostName { get; }

    /// <summary>Gets the mx pattern that covers the host, or null.</summary>
    public string? MatchedPattern { get; }

    /// <summary>Gets whether an mx pattern covers the host.</summary>
    public bool MxMatches => MatchedPattern is not null;

    /// <summary>Gets the verdict.</summary>
    public MtaStsHostOutcome Outcome { get; }

    /// <summary>Gets <see cref="Outcome"/> as a name.</summary>
    public string OutcomeText => Outcome.ToString();

    /// <summary>Gets the WebPKI verdicts, one per address probed with a TLS session.</summary>
    public IReadOnlyList<WebPkiResult> WebPki { get; }

    /// <summary>Gets whether every probed address presented a WebPKI-valid certificate for the host, or null when none was seen.</summary>
    public bool? WebPkiValid => WebPki.Count == 0 ? null : WebPki.All(w => w.IsValid);

    /// <summary>Gets the RFC 8460 result type of the failure, or an empty string.</summary>
    public string ResultType { get; }

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <summary>One address of the host as the STARTTLS probe saw it.</summary>
    public sealed class Session
    {
        /// <summary>Creates a session.</summary>
        /// <param name="address">The address, textual.</param>
        /// <param name="chain">The DER chain presented, leaf first; empty when no TLS session was made.</param>
        /// <param name="tlsVersion">The negotiated TLS version (e.g. <c>Tls12</c>), or null.</param>
        /// <param name="error">Why no TLS session was made, or null.</param>
        public Session(string address, IReadOnlyList<byte[]>? chain, string? tlsVersion, string? error)
        {
            Address = address ?? string.Empty;
            Chain = chain ?? Array.Empty<byte[]>();
            TlsVersion = tlsVersion;
            Error = error;
        }

        /// <summary>Gets the address.</summary>
        public string Address { get; }

        /// <summary>Gets the DER chain, leaf first.</summary>
        public IReadOnlyList<byte[]> Chain { get; }

        /// <summary>Gets the negotiated TLS version, or null.</summary>
        public string? TlsVersion { get; }

        /// <summary>Gets why no TLS session was made, or null.</summary>
        public string? Error { get; }
    }

    /// <summary>Judges one MX host against a policy.</summary>
    /// <param name="policy">The policy in force, or null (no policy: <see cref="MtaStsHostOutcome.NoPolicy"/>).</param>
    /// <param name="hostName">The MX host name.</param>
    /// <param name="sessions">The probed addresses; null or empty when no probe was made (DNS only).</param>
    /// <param name="validator">The WebPKI validator.</param>
    /// <param name="validationTimeUtc">The time, UTC, at which certificates are judged.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hostName"/> or <paramref name="validator"/> is null.</exception>
    public static MtaStsHostResult Evaluate(MtaStsPolicy? policy, string hostName, IReadOnlyList<Session>? sessions, WebPkiValidator validator, DateTime validationTimeUtc)
    {
        if (hostName is null) throw new ArgumentNullException(nameof(hostName));
        if (validator is null) throw new ArgumentNullException(nameof(validator));
        var host = hostName.TrimEnd('.').ToLowerInvariant();
        if (policy is null || policy.Mode == MtaStsMode.None)
            return new(host, null, MtaStsHostOutcome.NoPolicy, Array.Empty<WebPkiResult>(), string.Empty, "No MTA-STS policy applies.");
        var pattern = policy.MatchingPattern(host);
        if (pattern is null)
            return new(host, null, MtaStsHostOutcome.MxNotListed, Array.Empty<WebPkiResult>(), MtaStsResultTypes.ValidationFailure,
                $"{host} matches no mx pattern of the policy ({string.Join(", ", policy.MxPatterns)}).");
        var verdicts = new List<WebPkiResult>();
        foreach (var s in sessions ?? Array.Empty<Session>())
        {
            if (s.Chain.Count == 0)
                return new(host, pattern, MtaStsHostOutcome.CertificateInvalid, verdicts, MtaStsResultTypes.StartTlsNotSupported,
                    $"{host} [{s.Address}] gave no TLS session{(s.Error is null ? string.Empty : ": " + s.Error)}.");
            if (IsBelowTls12(s.TlsVersion))
                return new(host, pattern, MtaStsHostOutcome.CertificateInvalid, verdicts, MtaStsResultTypes.StartTlsNotSupported,
                    $"{host} [{s.Address}] negotiated {s.TlsVersion}; RFC 8461 section 4.2 needs TLS 1.2 or later.");
            var v = validator.Validate(s.Chain, host, validationTimeUtc);
            verdicts.Add(v);
            if (!v.IsValid)
                return new(host, pattern, MtaStsHostOutcome.CertificateInvalid, verdicts, v.ResultType, $"{host} [{s.Address}]: {v.Reason}");
        }
        if (verdicts.Count == 0)
            return new(host, pattern, MtaStsHostOutcome.NotChecked, verdicts, string.Empty, $"{host} matches '{pattern}'; its certificate was not checked.");
        return new(host, pattern, MtaStsHostOutcome.Valid, verdicts, string.Empty, $"{host} matches '{pattern}' and presented a WebPKI-valid certificate.");
    }

    // SslProtocols names: Ssl2, Ssl3, Tls (1.0), Tls11 are below 1.2; Tls12, Tls13 and unknown names are not.
    internal static bool IsBelowTls12(string? version) =>
        version is not null && (version.StartsWith("Ssl", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(version, "Tls", StringComparison.OrdinalIgnoreCase) || string.Equals(version, "Tls10", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(version, "Tls11", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => $"{HostName}: {Outcome}: {Reason}";
}
