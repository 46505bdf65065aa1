using System;
using System.Collections.Generic;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Builds the data an RRSIG signs (RFC 4034 section 3.1.8.1): the RRSIG RDATA without its signature and with the
/// signer in canonical form, followed by every RR of the RRset in canonical form and order (section 6), each with
/// the RRSIG's Original TTL, and with the owner rebuilt as <c>*.</c> + the rightmost Labels labels when the RRSIG
/// Labels field is below the owner's label count (a wildcard expansion, RFC 4035 section 5.3.2).
/// </summary>
internal static class SignedData
{
    /// <exception cref="ArgumentException">The RRset is empty or Labels exceeds the owner's label count.</exception>
    public static byte[] Build(RrsigRecord rrsig, IReadOnlyList<ResourceRecord> rrset)
    {
        if (rrset.Count == 0) throw new ArgumentException("The RRset is empty.", nameof(rrset));
        var owner = rrset[0].Owner;
        if (rrsig.Labels > owner.LabelCount) throw new ArgumentException("The RRSIG Labels field exceeds the owner's label count.", nameof(rrsig));
        var signedOwner = rrsig.Labels < owner.LabelCount
            ? owner.GetAncestor(rrsig.Labels).Prepend(new[] { (byte)'*' })
            : owner;
        var ownerWire = signedOwner.ToCanonicalWire();
        var output = new List<byte>(512);
        output.AddRange(rrsig.SignedDataPrefix);
        foreach (var rr in CanonicalOrder.SortRrset(rrset))
        {
            var rdata = rr.CanonicalRdata;
            output.AddRange(ownerWire);
            RdataCodec.PutU16(output, (ushort)rr.Type);
            RdataCodec.PutU16(output, rr.Class);
            RdataCodec.PutU32(output, rrsig.OriginalTtl);
            RdataCodec.PutU16(output, (ushort)rdata.Length);
            output.AddRange(rdata);
        }
        return output.ToArray();
    }
}
