namespace DaneTools.Core.Dane;

/// <summary>A TLSA record that was left out of the usable set, with the reason.</summary>
public sealed class TlsaUnusableRecord
{
    internal TlsaUnusableRecord(TlsaRecord record, string reason)
    {
        Record = record;
        Reason = reason;
    }

    /// <summary>Gets the record.</summary>
    public TlsaRecord Record { get; }

    /// <summary>Gets why the record is not used, as one sentence.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Record}: {Reason}";
}
