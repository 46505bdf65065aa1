namespace DaneTools.Core.Delivery;

/// <summary>What happened to a message for one recipient domain.</summary>
public enum DaneDeliveryStatus
{
    /// <summary>An MX host accepted the message (250 after DATA) for at least one recipient.</summary>
    Delivered,

    /// <summary>Not delivered, temporarily: a 4xx reply, a DNS, TLS or DANE failure; an MTA would retry (RFC 5321 section 4.2.1, RFC 7672 section 2.2).</summary>
    Deferred,

    /// <summary>Not delivered, permanently: a 5xx reply, a null MX (RFC 7505) or a domain that does not exist.</summary>
    Failed,
}
