using System;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Reports a trust anchor that cannot be used: an unreadable file, a malformed line, or a record that is not a DS
/// or DNSKEY. The message and <see cref="Input"/> name the offending input.
/// </summary>
/// <remarks>The PowerShell layer maps it to the terminating error <c>TrustAnchorInvalid</c>.</remarks>
public class TrustAnchorException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="input">The offending input: the line, or <c>file:line</c>, or the file path.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public TrustAnchorException(string input, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Input = input;
    }

    /// <summary>Gets the offending input (the line, <c>file:line</c>, or the file path).</summary>
    public string Input { get; }
}
