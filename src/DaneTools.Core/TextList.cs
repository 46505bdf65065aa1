using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace DaneTools.Core;

/// <summary>
/// A read-only list of result details that formats as its items joined by <c>"; "</c>, so Export-Csv and string
/// expansion show the hosts, addresses or warnings themselves instead of the collection's type name. Enumeration,
/// indexing, ConvertTo-Json and Export-Clixml see an ordinary list.
/// </summary>
/// <typeparam name="T">The item type; each item's own <see cref="object.ToString"/> is used.</typeparam>
public sealed class TextList<T> : ReadOnlyCollection<T>
{
    /// <summary>Wraps the items: a list or array as it is (as the results held them before), anything else copied.</summary>
    /// <param name="items">The items, in order; null gives an empty list.</param>
    public TextList(IEnumerable<T>? items)
        : base(items as IList<T> ?? items?.ToList() ?? new List<T>())
    {
    }

    /// <summary>Returns the items' text joined by <c>"; "</c> (empty for no items).</summary>
    /// <returns>For example <c>10 mx1.example.com: Authenticated: ...; 20 mx2.example.com: ...</c>.</returns>
    public override string ToString() => string.Join("; ", this.Select(i => i?.ToString()));
}
