using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using DaneTools.Core.Reporting.Owner;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>Reads a pipeline object by property name for the report: a live result and its <c>Deserialized.</c> property
/// bag from Import-Clixml take the same path (PowerShell's adapters expose both by name).</summary>
internal sealed class PSObjectResultView : IResultView
{
    private readonly PSObject _value;

    public PSObjectResultView(PSObject value) => _value = value;

    public IReadOnlyList<string> TypeNames => _value.TypeNames;

    public string Text => _value.ToString();

    public object? Get(string name) => Wrap(_value.Properties[name]?.Value);

    private static object? Wrap(object? value)
    {
        if (value is PSObject p)
        {
            var baseObject = p.BaseObject;
            // A deserialised enum is its number with the name kept as the object's text.
            if (IsScalar(baseObject) && baseObject is not string && p.TypeNames.Count > 0 &&
                p.TypeNames[0].StartsWith("Deserialized.", StringComparison.Ordinal) && !p.TypeNames[0].StartsWith("Deserialized.System.", StringComparison.Ordinal))
                return p.ToString();
            if (baseObject is PSCustomObject) return new PSObjectResultView(p);
            value = baseObject;
        }
        return value switch
        {
            null => null,
            string or bool or DateTime => value,
            Enum e => e.ToString(),
            _ when IsScalar(value) => long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? n : Convert.ToString(value, CultureInfo.InvariantCulture),
            IDictionary => null,
            IEnumerable list => WrapList(list),
            _ => new PSObjectResultView(PSObject.AsPSObject(value)),
        };
    }

    private static bool IsScalar(object? value) => value is not null && (value.GetType().IsPrimitive || value is decimal || value is string);

    private static IReadOnlyList<object?> WrapList(IEnumerable list)
    {
        var items = new List<object?>();
        foreach (var item in list) items.Add(Wrap(item));
        return items;
    }
}
