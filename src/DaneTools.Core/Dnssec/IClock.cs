using System;

namespace DaneTools.Core.Dnssec;

/// <summary>Supplies the current time; injected so tests can pin it.</summary>
public interface IClock
{
    /// <summary>Gets the current time in UTC.</summary>
    DateTime UtcNow { get; }
}

/// <summary>The system clock.</summary>
public sealed class SystemClock : IClock
{
    /// <summary>Gets the shared instance.</summary>
    public static SystemClock Instance { get; } = new SystemClock();

    /// <inheritdoc/>
    public DateTime UtcNow => DateTime.UtcNow;
}

/// <summary>A clock that always returns the same instant.</summary>
public sealed class FixedClock : IClock
{
    /// <summary>Creates a clock pinned at <paramref name="utcNow"/>.</summary>
    /// <param name="utcNow">The instant; a Local kind is converted to UTC, Unspecified is taken as UTC.</param>
    public FixedClock(DateTime utcNow) => UtcNow = SerialTime.ToUtc(utcNow);

    /// <inheritdoc/>
    public DateTime UtcNow { get; }
}
