using System;
using System.Security.Cryptography;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Crypto;

/// <summary>Computes NSEC3 hashed owner names (RFC 5155 section 5) with SHA-1.</summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc5155#section-5"/>
public static class Nsec3Hash
{
    /// <summary>The only defined NSEC3 hash algorithm, SHA-1 (RFC 5155 section 11).</summary>
    public const byte Sha1 = 1;

    /// <summary>Computes IH(salt, name, iterations): H(x | salt) applied iterations + 1 times to the canonical wire name.</summary>
    /// <param name="name">The name (lower-cased here).</param>
    /// <param name="salt">The salt (may be empty).</param>
    /// <param name="iterations">The number of additional iterations (0..65535).</param>
    /// <returns>The 20-octet hash.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static byte[] Compute(DnsName name, byte[] salt, int iterations)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        if (salt is null) throw new ArgumentNullException(nameof(salt));
        if (iterations < 0 || iterations > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(iterations));
        using var sha1 = SHA1.Create();
        var x = name.ToCanonicalWire();
        var buffer = new byte[Math.Max(x.Length, 20) + salt.Length];
        for (int i = 0; i <= iterations; i++)
        {
            int len = i == 0 ? x.Length : 20;
            if (i == 0) Buffer.BlockCopy(x, 0, buffer, 0, len);
            Buffer.BlockCopy(salt, 0, buffer, len, salt.Length);
            x = sha1.ComputeHash(buffer, 0, len + salt.Length);
            Buffer.BlockCopy(x, 0, buffer, 0, 20);
        }
        return x;
    }

    /// <summary>Computes the hash as lower-case base32hex, the form used in NSEC3 owner names.</summary>
    /// <param name="name">The name.</param>
    /// <param name="salt">The salt.</param>
    /// <param name="iterations">The number of additional iterations.</param>
    /// <returns>For example <c>0p9mhaveqvm6t7vbl5lop2u3t2rp3tom</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string ComputeBase32Hex(DnsName name, byte[] salt, int iterations) =>
        Base32Hex.Encode(Compute(name, salt, iterations), lowerCase: true);
}
