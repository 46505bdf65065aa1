using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.X509;

namespace DaneTools.Core.Dane;

/// <summary>Reads X.509 certificates from PEM or DER files (leaf first in a chain file).</summary>
internal static class CertificateFile
{
    /// <summary>Reads every certificate in the file, in file order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no certificate or cannot be parsed.</exception>
    public static IReadOnlyList<X509Certificate> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses PEM (any number of CERTIFICATE blocks, text around them ignored) or one DER certificate.</summary>
    public static IReadOnlyList<X509Certificate> Parse(byte[] bytes, string source)
    {
        try
        {
            var parser = new X509CertificateParser();
            var certs = parser.ReadCertificates(bytes).ToList();
            if (certs.Count == 0) throw new InvalidDataException($"'{source}' holds no X.509 certificate (PEM or DER expected).");
            return certs;
        }
        catch (Exception ex) when (ex is not InvalidDataException)
        {
            throw new InvalidDataException($"'{source}' is not a readable PEM or DER certificate: {ex.Message}", ex);
        }
    }
}
