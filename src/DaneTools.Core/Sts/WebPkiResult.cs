namespace DaneTools.Core.Sts;

/// <summary>The WebPKI verdict on one presented chain for one host name (RFC 8461 section 4.2, RFC 6125). Immutable.</summary>
public sealed class WebPkiResult
{
    internal WebPkiResult(string hostName, bool isValid, string resultType, string reason)
    {
        HostName = hostName;
        IsValid = isValid;
        ResultType = resultType;
        Reason = reason;
    }

    /// <summary>Gets the host name the certificate had to name.</summary>
    public string HostName { get; }

    /// <summary>Gets whether the chain is trusted, in date and names the host.</summary>
    public bool IsValid { get; }

    /// <summary>Gets the RFC 8460 result type of the failure (<c>certificate-host-mismatch</c>, <c>certificate-expired</c>,
    /// <c>certificate-not-trusted</c>), or an empty string.</summary>
    public string ResultType { get; }

    /// <summary>Gets one sentence explaining the verdict.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => IsValid ? $"{HostName}: valid" : $"{HostName}: {ResultType}: {Reason}";
}
