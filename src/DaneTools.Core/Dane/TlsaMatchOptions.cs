using System;
using System.Collections.Generic;

namespace DaneTools.Core.Dane;

/// <summary>Settings for <see cref="TlsaMatcher.Match"/>; mutable, copied when a match starts.</summary>
public sealed class TlsaMatchOptions
{
    /// <summary>
    /// Gets the reference identifiers (DNS names, no trailing dot needed) the leaf's names are checked against
    /// (RFC 7672 sections 3.2.2 and 3.2.3). Default is empty, which makes every name check fail.
    /// </summary>
    public IList<string> ReferenceIdentifiers { get; } = new List<string>();

    /// <summary>
    /// Gets or sets the time, UTC, at which validity dates are checked. Default is null: the current time when
    /// the match starts. A value of kind Local is converted to UTC; Unspecified is taken as UTC.
    /// </summary>
    public DateTime? ValidationTime { get; set; }

    /// <summary>
    /// Gets or sets whether a DANE-EE(3) match also needs a name match. Default is false, as RFC 7672 section 3.1.1
    /// and RFC 7671 section 5.1 require; OpenSSL checks names unless DANE_FLAG_NO_DANE_EE_NAMECHECKS is set.
    /// </summary>
    public bool CheckNamesOnDaneEe { get; set; }

    /// <summary>
    /// Gets the PKIX trust store (DER certificates) for PKIX-TA(0) and PKIX-EE(1). Default is empty, so no PKIX
    /// path validates. Not used for DANE-TA(2) or DANE-EE(3).
    /// </summary>
    public IList<byte[]> TrustStore { get; } = new List<byte[]>();

    /// <summary>
    /// Gets or sets SMTP mode: PKIX-TA(0) and PKIX-EE(1) records are unusable (RFC 7672 section 3.1.3).
    /// Default is true.
    /// </summary>
    public bool SmtpMode { get; set; } = true;
}
