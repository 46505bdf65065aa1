using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

namespace DaneTools.Core.Reporting.Owner;

/// <summary>Reads a live .NET result object through its public properties (for callers without PowerShell, and tests).</summary>
public sealed class ObjectResultView : IResultView
{
    private readonly object _value;

    /// <summary>Wraps an object.</summary>
    /// <param name="value">The result object.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public ObjectResultView(object value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <inheritdoc/>
    public IReadOnlyList<string> TypeNames
    {
        get
        {
            var names = new List<string>();
            for (var t = _value.GetType(); t is not null; t = t.BaseType) names.Add(t.FullName ?? t.Name);
            return names;
        }
    }

    /// <inheritdoc/>
    public string Text => _value.ToString() ?? string.Empty;

    /// <inheritdoc/>
    public object? Get(string name)
    {
        var property = _value.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null || property.GetIndexParameters().Length > 0 ? null : Wrap(property.GetValue(_value));
    }

    /// <summary>Converts a property value into the shapes <see cref="IResultView"/> promises.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The converted value.</returns>
    internal static object? Wrap(object? value) => value switch
    {
        null => null,
        string or bool or DateTime => value,
        Enum e => e.ToString(),
        IConvertible c when value.GetType().IsPrimitive || value is decimal => Convert.ToString(c, CultureInfo.InvariantCulture) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (object)c.ToString(CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IEnumerable list => WrapList(list),
        _ => new ObjectResultView(value),
    };

    private static IReadOnlyList<object?> WrapList(IEnumerable list)
    {
        var items = new List<object?>();
        foreach (var item in list) items.Add(Wrap(item));
        return items;
    }
}
