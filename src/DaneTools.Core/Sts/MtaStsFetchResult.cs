using System.Collections.Generic;
using DaneTools.Core.Dane;

namespace DaneTools.Core.Sts;

/// <summary>What one HTTPS fetch of a policy gave: status, media type, body, the server's chain and its WebPKI verdict. Immutable.</summary>
public sealed class MtaStsFetchResult
{
    internal MtaStsFetchResult(string url, string? address, int? httpStatus, string? contentType, string? location, string? body,
        IReadOnlyList<PresentedCertificate> chain, WebPkiResult? webPki, MtaStsProblem? problem, IReadOnlyList<string> warnings)
    {
        Url = url;
        Address = address;
        HttpStatus = httpStatus;
        ContentType = contentType;
        Location = location;
        Body = body;
        Chain = new TextList<PresentedCertificate>(chain);
        WebPki = webPki;
        Problem = problem;
        Warnings = new TextList<string>(warnings);
    }

    /// <summary>Gets the URL fetched.</summary>
    public string Url { get; }

    /// <summary>Gets the address connected to, or null when no connection was made.</summary>
    public string? Address { get; }

    /// <summary>Gets the HTTP status code, or null when no response came.</summary>
    public int? HttpStatus { get; }

    /// <summary>Gets the Content-Type header, or null.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the Location header of a redirect (never followed), or null.</summary>
    public string? Location { get; }

    /// <summary>Gets the body as UTF-8 text when the fetch succeeded, else null.</summary>
    public string? Body { get; }

    /// <summary>Gets the chain the policy host presented, leaf first.</summary>
    public IReadOnlyList<PresentedCertificate> Chain { get; }

    /// <summary>Gets the WebPKI verdict on the policy host's certificate for <c>mta-sts.&lt;domain&gt;</c>, or null when no TLS session was made.</summary>
    public WebPkiResult? WebPki { get; }

    /// <summary>Gets the failure (<c>sts-policy-fetch-error</c> or <c>sts-webpki-invalid</c>), or null on success.</summary>
    public MtaStsProblem? Problem { get; }

    /// <summary>Gets remarks that do not fail the fetch (a media type other than text/plain).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets whether a body was obtained from a WebPKI-valid server with status 200.</summary>
    public bool Succeeded => Problem is null && Body is not null;
}
