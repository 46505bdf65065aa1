using System;

namespace DaneTools.Core.Dns;

/// <summary>
/// Reports that a DNS question got no usable response (timeout, unreachable server, malformed reply).
/// </summary>
/// <remarks>The validator turns it into an Indeterminate result with reason <c>Timeout</c> or <c>ServerFailure</c>.</remarks>
public class DnsTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the question and the server.</param>
    /// <param name="isTimeout">True when the cause was a timeout.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public DnsTransportException(string message, bool isTimeout = false, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTimeout = isTimeout;
    }

    /// <summary>Gets whether the question timed out (as opposed to another transport failure).</summary>
    public bool IsTimeout { get; }
}
