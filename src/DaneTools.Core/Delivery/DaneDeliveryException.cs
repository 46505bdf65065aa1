using System;

namespace DaneTools.Core.Delivery;

/// <summary>A message was not delivered to (some of) the recipients of one domain; carries the result, which names the .eml written.</summary>
public sealed class DaneDeliveryException : Exception
{
    /// <summary>Creates the exception for a result.</summary>
    /// <param name="result">The delivery result.</param>
    /// <param name="message">The message text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public DaneDeliveryException(DaneDeliveryResult result, string message)
        : base(message)
    {
        Result = result ?? throw new ArgumentNullException(nameof(result));
    }

    /// <summary>Gets the delivery result.</summary>
    public DaneDeliveryResult Result { get; }
}
