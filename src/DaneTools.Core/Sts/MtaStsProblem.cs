namespace DaneTools.Core.Sts;

/// <summary>One MTA-STS problem with its RFC 8460 result type. Immutable.</summary>
public sealed class MtaStsProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="resultType">The RFC 8460 result type (<see cref="MtaStsResultTypes"/>).</param>
    /// <param name="message">One sentence naming the input at fault.</param>
    public MtaStsProblem(string resultType, string message)
    {
        ResultType = resultType ?? string.Empty;
        Message = message ?? string.Empty;
    }

    /// <summary>Gets the RFC 8460 result type.</summary>
    public string ResultType { get; }

    /// <summary>Gets the explanation.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{ResultType}: {Message}";
}
