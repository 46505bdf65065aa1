using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace DaneTools.Core.Dane;

/// <summary>
/// The few fields of an X.509 certificate that DANE-EE matching and reports need, read straight from the ASN.1.
/// BouncyCastle's certificate class rejects some certificates OpenSSL accepts (an empty issuer name, as in
/// OpenSSL's DANE test), yet a DANE-EE(3) match needs only the DER and the SubjectPublicKeyInfo.
/// </summary>
internal sealed class RawCertificate
{
    private RawCertificate(X509Name subject, X509Name issuer, DateTime notBefore, DateTime notAfter, byte[] spki)
    {
        Subject = subject;
        Issuer = issuer;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Spki = spki;
    }

    public X509Name Subject { get; }
    public X509Name Issuer { get; }
    public DateTime NotBefore { get; }
    public DateTime NotAfter { get; }
    public byte[] Spki { get; }

    /// <summary>Reads Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature } (RFC 5280 4.1).</summary>
    public static RawCertificate? TryParse(byte[] der)
    {
        try
        {
            var cert = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (cert.Count != 3) return null;
            var tbs = Asn1Sequence.GetInstance(cert[0]);
            AlgorithmIdentifier.GetInstance(cert[1]);
            DerBitString.GetInstance(cert[2]);
            int k = tbs[0] is Asn1TaggedObject ? 1 : 0; // optional [0] EXPLICIT version
            if (tbs.Count < k + 6) return null;
            DerInteger.GetInstance(tbs[k]);
            AlgorithmIdentifier.GetInstance(tbs[k + 1]);
            var issuer = X509Name.GetInstance(tbs[k + 2]);
            var validity = Asn1Sequence.GetInstance(tbs[k + 3]);
            if (validity.Count != 2) return null;
            var subject = X509Name.GetInstance(tbs[k + 4]);
            var spki = SubjectPublicKeyInfo.GetInstance(tbs[k + 5]);
            return new RawCertificate(subject, issuer, Time.GetInstance(validity[0]).ToDateTime(),
                Time.GetInstance(validity[1]).ToDateTime(), spki.GetDerEncoded());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }
}
