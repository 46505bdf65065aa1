namespace DaneTools.Core.Delivery;

/// <summary>
/// What decided a delivery's outcome, for code that acts on it (<see cref="DaneDeliveryResult.Reason"/> says it in words;
/// <see cref="DaneDeliveryResult.ReasonCode"/> is the same as text, with the policy's own code for <see cref="PolicyDecided"/>).
/// </summary>
public enum DaneDeliveryReason
{
    /// <summary>An MX host accepted the message for every recipient.</summary>
    Delivered,

    /// <summary>An MX host accepted the message, but refused some recipients.</summary>
    PartiallyDelivered,

    /// <summary>An MX host refused the message permanently (5xx to MAIL, DATA, or every RCPT).</summary>
    Rejected,

    /// <summary>-DaneMode Mandatory and no MX host has a secure usable TLSA record (dane-required): nothing was sent.</summary>
    DaneRequired,

    /// <summary>No MX host took the message (each failed or answered 4xx): deferred.</summary>
    NoHostTookMail,

    /// <summary>
    /// The DANE policy decided before any connection: the MX lookup failed or was bogus, the domain does not exist, or it
    /// has a null MX (<see cref="DaneDeliveryResult.ReasonCode"/> holds the policy's code, e.g. <c>NullMx</c>).
    /// </summary>
    PolicyDecided,

    /// <summary>
    /// The recipient domain's MTA-STS policy (enforce) refused the most preferred MX host that failed, where DANE does not apply:
    /// no mx pattern covers it, or its session had no STARTTLS, TLS below 1.2, or a certificate that is not WebPKI-valid for its
    /// name (RFC 8461 sections 4 and 5); no other host took the message. Deferred; Exchange Online's 4/5.4.8 or 4/5.7.5.
    /// </summary>
    MtaStsRefused,
}
