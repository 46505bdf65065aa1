using System;
using System.Collections.Generic;

namespace DaneTools.Core.Sts;

/// <summary>Settings of an MTA-STS policy fetch (RFC 8461 section 3.3); mutable, read when a fetch starts.</summary>
public sealed class MtaStsFetchOptions
{
    /// <summary>Gets or sets the largest policy body accepted, in bytes. Default 65536 (RFC 8461 section 3.3 suggests 64 KiB).</summary>
    public int MaxBodyBytes { get; set; } = 65536;

    /// <summary>Gets or sets the time allowed for the whole fetch (connect, TLS, headers, body), in seconds. Default 60
    /// (RFC 8461 section 3.3 suggests a minute).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Gets or sets the HTTPS port. Default 443; other values are for tests.</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>Gets or sets DER roots trusted besides the system store (e.g. a lab CA). Default none.</summary>
    public IReadOnlyList<byte[]> ExtraTrustRoots { get; set; } = Array.Empty<byte[]>();

    /// <summary>Gets or sets whether the operating system's trust store is used. Default true.</summary>
    public bool UseSystemTrust { get; set; } = true;

    /// <summary>Gets or sets the time, UTC, at which certificates are judged. Default null: now.</summary>
    public DateTime? ValidationTime { get; set; }
}
