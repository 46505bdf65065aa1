namespace DaneTools.Core.Delivery;

/// <summary>The priority a composed message carries in its Priority, X-Priority and Importance headers (Send-MailMessage's values).</summary>
public enum DaneMailPriority
{
    /// <summary>Normal priority (no priority headers are added).</summary>
    Normal,

    /// <summary>Low priority (non-urgent, X-Priority 5, Importance low).</summary>
    Low,

    /// <summary>High priority (urgent, X-Priority 1, Importance high).</summary>
    High,
}
