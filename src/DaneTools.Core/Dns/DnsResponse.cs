using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Dns;

/// <summary>
/// One DNS response as received: response code, the three record sections and which server answered.
/// </summary>
/// <remarks>Immutable. Nothing in it is validated; <see cref="AuthenticatedData"/> is reported, never trusted.</remarks>
public sealed class DnsResponse
{
    /// <summary>Creates a response.</summary>
    /// <param name="rcode">The response code.</param>
    /// <param name="answer">The answer section; null means empty.</param>
    /// <param name="authority">The authority section; null means empty.</param>
    /// <param name="additional">The additional section (without OPT); null means empty.</param>
    /// <param name="server">Which server answered, e.g. <c>127.0.0.1:53</c>; null means unknown.</param>
    /// <param name="authenticatedData">The AD bit of the response header.</param>
    public DnsResponse(
        DnsResponseCode rcode,
        IEnumerable<ResourceRecord>? answer = null,
        IEnumerable<ResourceRecord>? authority = null,
        IEnumerable<ResourceRecord>? additional = null,
        string? server = null,
        bool authenticatedData = false)
    {
        Rcode = rcode;
        Answer = (answer ?? Enumerable.Empty<ResourceRecord>()).ToList().AsReadOnly();
        Authority = (authority ?? Enumerable.Empty<ResourceRecord>()).ToList().AsReadOnly();
        Additional = (additional ?? Enumerable.Empty<ResourceRecord>()).ToList().AsReadOnly();
        Server = server ?? string.Empty;
        AuthenticatedData = authenticatedData;
    }

    /// <summary>Gets the response code.</summary>
    public DnsResponseCode Rcode { get; }

    /// <summary>Gets the answer section.</summary>
    public IReadOnlyList<ResourceRecord> Answer { get; }

    /// <summary>Gets the authority section.</summary>
    public IReadOnlyList<ResourceRecord> Authority { get; }

    /// <summary>Gets the additional section.</summary>
    public IReadOnlyList<ResourceRecord> Additional { get; }

    /// <summary>Gets which server answered, e.g. <c>127.0.0.1:53</c>, or an empty string when unknown.</summary>
    public string Server { get; }

    /// <summary>Gets the AD bit the server set; reported only, never used to decide anything.</summary>
    public bool AuthenticatedData { get; }

    /// <summary>Returns a short description: the response code and the section sizes.</summary>
    /// <returns>For example <c>NoError answer=2 authority=0 additional=0 from 127.0.0.1:53</c>.</returns>
    public override string ToString() =>
        $"{Rcode} answer={Answer.Count} authority={Authority.Count} additional={Additional.Count}" + (Server.Length > 0 ? $" from {Server}" : string.Empty);
}
