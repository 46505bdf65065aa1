using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DaneTools.Core.Reporting.Owner;

// Typed reads over IResultView: a missing property, a null or a value cut by the CLIXML depth reads as empty.
internal static class ResultViewExtensions
{
    public static string Str(this IResultView v, string name) => v.Get(name) switch
    {
        null => string.Empty,
        string s => s,
        DateTime d => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        IResultView o => o.Text,
        IReadOnlyList<object?> list => string.Join("; ", list.Select(i => i is IResultView o ? o.Text : Convert.ToString(i, CultureInfo.InvariantCulture))),
        var x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    public static long? Int(this IResultView v, string name) => v.Get(name) switch
    {
        long n => n,
        int n => n,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        var x when x is not null && x is not IResultView && x is not IReadOnlyList<object?> &&
                   long.TryParse(Convert.ToString(x, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static bool? Bool(this IResultView v, string name) => v.Get(name) switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        _ => null,
    };

    public static DateTime? Date(this IResultView v, string name) => v.Get(name) switch
    {
        DateTime d => d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d.ToUniversalTime(),
        string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => null,
    };

    public static IResultView? Child(this IResultView v, string name) => v.Get(name) as IResultView;

    /// <summary>The list's objects; <paramref name="cut"/> is set when items arrived as bare text (the export depth cut them).</summary>
    public static IReadOnlyList<IResultView> Children(this IResultView v, string name, ref bool cut)
    {
        var value = v.Get(name);
        if (value is IResultView single) return new[] { single };
        if (value is not IReadOnlyList<object?> list) return Array.Empty<IResultView>();
        if (list.Any(i => i is string)) cut = true;
        return list.OfType<IResultView>().ToList();
    }

    public static IReadOnlyList<IResultView> Children(this IResultView v, string name)
    {
        bool ignored = false;
        return v.Children(name, ref ignored);
    }

    public static IReadOnlyList<string> Texts(this IResultView v, string name) => v.Get(name) switch
    {
        null => Array.Empty<string>(),
        string s => s.Length == 0 ? Array.Empty<string>() : new[] { s },
        IReadOnlyList<object?> list => list.Select(i => i is IResultView o ? o.Text : Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty).ToList(),
        IResultView o => new[] { o.Text },
        var x => new[] { Convert.ToString(x, CultureInfo.InvariantCulture) ?? string.Empty },
    };

    public static bool IsType(this IResultView v, string fullName) =>
        v.TypeNames.Any(t => string.Equals(t, fullName, StringComparison.Ordinal) || string.Equals(t, "Deserialized." + fullName, StringComparison.Ordinal));
}
