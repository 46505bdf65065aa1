using System.Collections.Generic;

namespace DaneTools.Core.Reporting.Owner;

/// <summary>
/// A result object read by property name, so one reader serves a live result and one deserialised from CLIXML
/// (PowerShell's <c>Deserialized.*</c> property bags) alike.
/// </summary>
/// <remarks>Implementations return, for a property: null when it is missing or null; a string, number, boolean or
/// <see cref="System.DateTime"/> for scalars (enums as their names); another <see cref="IResultView"/> for an object; an
/// <see cref="IReadOnlyList{T}"/> of values for a list.</remarks>
public interface IResultView
{
    /// <summary>Gets the object's type names, most derived first (a deserialised object's carry the <c>Deserialized.</c> prefix).</summary>
    IReadOnlyList<string> TypeNames { get; }

    /// <summary>Gets the object's text (its <c>ToString()</c>, which CLIXML keeps for objects deeper than the export depth).</summary>
    string Text { get; }

    /// <summary>Returns a property's value as described in the remarks, or null.</summary>
    /// <param name="name">The property name (case-insensitive).</param>
    /// <returns>The value or null.</returns>
    object? Get(string name);
}
