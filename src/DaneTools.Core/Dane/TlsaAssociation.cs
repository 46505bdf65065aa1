using System;
using System.Security.Cryptography;

namespace DaneTools.Core.Dane;

/// <summary>Computes certificate association data: the selected content of a certificate, then its digest.</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.2"/>
public static class TlsaAssociation
{
    /// <summary>Applies a matching type to selected content (RFC 6698 section 2.1.3).</summary>
    /// <param name="matchingType">Full(0), SHA2-256(1) or SHA2-512(2).</param>
    /// <param name="content">The DER certificate or SubjectPublicKeyInfo.</param>
    /// <returns>The content itself for Full, else its digest.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The matching type has no defined computation.</exception>
    public static byte[] Digest(TlsaMatchingType matchingType, byte[] content)
    {
        if (content is null) throw new ArgumentNullException(nameof(content));
        switch (matchingType)
        {
            case TlsaMatchingType.Full:
                return (byte[])content.Clone();
            case TlsaMatchingType.Sha256:
                using (var sha = SHA256.Create()) return sha.ComputeHash(content);
            case TlsaMatchingType.Sha512:
                using (var sha = SHA512.Create()) return sha.ComputeHash(content);
            default:
                throw new ArgumentOutOfRangeException(nameof(matchingType), matchingType, "Only Full(0), SHA2-256(1) and SHA2-512(2) are defined.");
        }
    }
}
