using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DaneTools.Core.TlsRpt;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// Turns Test-DaneDomain and Send-DaneMail results into TLS-RPT sessions, reading properties by name so that live objects
/// and their Import-Clixml copies (Deserialized.*) are read alike.
/// </summary>
/// <remarks>
/// A session is a final attempt: for Test-DaneDomain each probed address of an MX host, or the host itself when a DNS
/// failure stopped it before any address, or the recipient domain when its MX lookup failed; for Send-DaneMail the
/// delivery's last try. Failures that are not TLS failures
/// (connection refused, no such host: no RFC 8460 result type) are not sessions. For DANE the policy domain is the MX host's
/// TLSA base domain (RFC 8460 section 1.1) and the policy string its TLSA RRset as <c>u s m HEX</c>; an MX host without
/// TLSA is <c>no-policy-found</c> for the recipient domain.
/// </remarks>
public static class TlsRptSessionAdapter
{
    /// <summary>The type name of Test-DaneDomain's results.</summary>
    public const string DomainResultType = "DaneTools.Core.Dane.DaneDomainResult";

    /// <summary>The type name of Send-DaneMail's results.</summary>
    public const string DeliveryResultType = "DaneTools.Core.Delivery.DaneDeliveryResult";

    /// <summary>Returns whether an object is (or was, before Export-Clixml) of a type name.</summary>
    /// <param name="value">The object.</param>
    /// <param name="typeName">The full type name.</param>
    /// <returns>True for the live type and its Deserialized. copy.</returns>
    public static bool Is(PSObject value, string typeName) =>
        value.TypeNames.Any(t => t == typeName || t == "Deserialized." + typeName);

    /// <summary>Returns the UTC time a result was made (ValidationTimeUtc or TimeUtc), or null.</summary>
    /// <param name="value">A result.</param>
    /// <returns>The time, or null when the object has none.</returns>
    public static DateTime? TimeUtc(PSObject value)
    {
        var raw = Value(value, "TimeUtc") ?? Value(value, "ValidationTimeUtc");
        return raw is DateTime time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : null;
    }

    /// <summary>Reads the sessions of a Test-DaneDomain result.</summary>
    /// <param name="result">A DaneDomainResult, live or deserialized.</param>
    /// <returns>The sessions, possibly none (-DnsOnly results probe nothing).</returns>
    public static IEnumerable<TlsRptSession> FromDomainResult(PSObject result)
    {
        string domain = Text(result, "DomainName");
        bool domainHasPolicy = Text(result, "TlsRptPolicyType") == "tlsa";
        var hosts = Items(result, "MxHosts").ToList();
        if (hosts.Count == 0 && domainHasPolicy)
        {
            // The MX lookup itself failed (e.g. bogus DNSSEC): one failed session for the recipient domain, no host known.
            var policy = ("tlsa", domain, new List<string>(), string.Empty);
            var session = Session(policy, result, string.Empty, string.Empty);
            if (session is not null && !session.Succeeded) yield return session;
        }
        foreach (var host in hosts)
        {
            var policy = Policy(domain, domainHasPolicy, host);
            string hostName = Text(host, "HostName");
            var probed = Items(host, "Addresses").Where(a => Text(a, "Probed") == bool.TrueString).ToList();
            if (probed.Count > 0)
            {
                foreach (var address in probed)
                {
                    var session = Session(policy, address, hostName, Text(address, "Address"));
                    if (session is not null) yield return session;
                }
            }
            else
            {
                var session = Session(policy, host, hostName, string.Empty);
                if (session is not null && !session.Succeeded) yield return session;
            }
        }
    }

    /// <summary>Reads the session of a Send-DaneMail result: its final try.</summary>
    /// <param name="result">A DaneDeliveryResult, live or deserialized.</param>
    /// <returns>The session, or null when the failure is not a TLS failure or no MX host was tried.</returns>
    public static TlsRptSession? FromDeliveryResult(PSObject result)
    {
        string domain = Text(result, "DomainName");
        string hostName = Text(result, "HostName");
        string address = Text(result, "Address");
        if (hostName.Length == 0)
        {
            var last = Items(result, "Attempts").LastOrDefault();
            if (last is null) return null;
            hostName = Text(last, "HostName");
            address = Text(last, "Address");
        }
        var plan = Value(result, "Policy") is { } p ? PSObject.AsPSObject(p) : null;
        var host = plan is null ? null : Items(plan, "MxHosts").FirstOrDefault(h => string.Equals(Text(h, "HostName"), hostName, StringComparison.OrdinalIgnoreCase));
        var policy = host is null
            ? (Type: "no-policy-found", Domain: domain, Records: new List<string>(), MxHost: hostName)
            : Policy(domain, plan is not null && Text(plan, "TlsRptPolicyType") == "tlsa", host);
        if (Text(result, "Status") == "Delivered")
        {
            return new TlsRptSession(policy.Type, policy.Domain, policy.Records, new[] { policy.MxHost }, string.Empty, hostName, address, null);
        }
        string resultType = Text(result, "TlsRptResultType");
        if (resultType.Length == 0) return null;
        return new TlsRptSession(policy.Type, policy.Domain, policy.Records, new[] { policy.MxHost }, resultType, hostName, address,
            Text(result, "FailureKind"));
    }

    private static (string Type, string Domain, List<string> Records, string MxHost) Policy(string domain, bool domainHasPolicy, PSObject host)
    {
        string hostName = Text(host, "HostName");
        var records = Items(host, "TlsaRecords").Select(r => r.ToString()).Where(r => r.Length > 0).ToList();
        bool tlsa = domainHasPolicy && (records.Count > 0 || Text(host, "FailureKindText") == "DnssecInvalid");
        if (!tlsa) return ("no-policy-found", domain, new List<string>(), hostName);
        string baseDomain = Text(host, "TlsaBaseDomain");
        return ("tlsa", baseDomain.Length > 0 ? baseDomain : hostName, records, hostName);
    }

    private static TlsRptSession? Session((string Type, string Domain, List<string> Records, string MxHost) policy, PSObject outcome,
        string hostName, string address)
    {
        string kind = Text(outcome, "FailureKindText");
        if (kind.Length == 0) kind = Text(outcome, "FailureKind");
        string resultType = Text(outcome, "TlsRptResultType");
        bool failed = kind.Length > 0 && kind != "None";
        if (failed && resultType.Length == 0) return null;
        return new TlsRptSession(policy.Type, policy.Domain, policy.Records, policy.MxHost.Length > 0 ? new[] { policy.MxHost } : null,
            failed ? resultType : string.Empty, hostName, address, failed ? kind : null);
    }

    private static object? Value(PSObject value, string name)
    {
        var raw = value.Properties[name]?.Value;
        return raw is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : raw;
    }

    private static string Text(PSObject value, string name) => Value(value, name)?.ToString() ?? string.Empty;

    private static IEnumerable<PSObject> Items(PSObject value, string name)
    {
        if (Value(value, name) is not IEnumerable items || items is string) yield break;
        foreach (var item in items)
        {
            if (item is not null) yield return PSObject.AsPSObject(item);
        }
    }
}
