namespace DaneTools.Core.Inbound;

/// <summary>One inbound readiness check: what was checked, its status, a stable code, the reason and the next step. Immutable.</summary>
public sealed class InboundCheck
{
    /// <summary>Creates a check result.</summary>
    /// <param name="kind">What was checked.</param>
    /// <param name="status">The status.</param>
    /// <param name="code">A stable code for the finding (e.g. <c>LegacyOnly</c>); the stage table reads it.</param>
    /// <param name="reason">One sentence saying what was found.</param>
    /// <param name="nextStep">The next command to run or record to publish; empty when nothing is to be done.</param>
    public InboundCheck(InboundCheckKind kind, InboundCheckStatus status, string code, string reason, string nextStep = "")
    {
        Kind = kind;
        Status = status;
        Code = code ?? string.Empty;
        Reason = reason ?? string.Empty;
        NextStep = nextStep ?? string.Empty;
    }

    /// <summary>Gets what was checked.</summary>
    public InboundCheckKind Kind { get; }

    /// <summary>Gets <see cref="Kind"/> as a name.</summary>
    public string KindText => Kind.ToString();

    /// <summary>Gets the status.</summary>
    public InboundCheckStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as a name.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets the stable code of the finding (see DESIGN section 6b).</summary>
    public string Code { get; }

    /// <summary>Gets one sentence saying what was found.</summary>
    public string Reason { get; }

    /// <summary>Gets the next command to run or record to publish; empty when nothing is to be done.</summary>
    public string NextStep { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Status} ({Code}): {Reason}";
}
