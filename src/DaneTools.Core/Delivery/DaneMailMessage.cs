using System;
using System.Collections.Generic;
using System.Text;

namespace DaneTools.Core.Delivery;

/// <summary>
/// The message <see cref="DaneMailSender"/> sends: either composed from the properties below (Send-MailMessage's
/// habits) or read from an RFC 5322 file (<see cref="MimeMessagePath"/>). Holds no MimeKit type.
/// </summary>
/// <remarks>
/// With <see cref="MimeMessagePath"/>, <see cref="From"/>, <see cref="To"/>, <see cref="Cc"/> and <see cref="Bcc"/> are optional
/// envelope overrides: when any recipient is given, only those are sent to and the file's headers stay as they are (to resend
/// an undelivered .eml to the recipients that did not get it). Bcc recipients never appear in the headers sent.
/// </remarks>
public sealed class DaneMailMessage
{
    /// <summary>Gets or sets the sender, <c>addr@domain</c> or <c>Name &lt;addr@domain&gt;</c>: the From header and the envelope sender (MAIL FROM).</summary>
    public string? From { get; set; }

    /// <summary>Gets the To recipients.</summary>
    public IList<string> To { get; } = new List<string>();

    /// <summary>Gets the Cc recipients.</summary>
    public IList<string> Cc { get; } = new List<string>();

    /// <summary>Gets the Bcc recipients: envelope only, never in a header.</summary>
    public IList<string> Bcc { get; } = new List<string>();

    /// <summary>Gets or sets the subject.</summary>
    public string? Subject { get; set; }

    /// <summary>Gets or sets the body text.</summary>
    public string? Body { get; set; }

    /// <summary>Gets or sets whether <see cref="Body"/> is HTML (text/html) rather than plain text.</summary>
    public bool BodyAsHtml { get; set; }

    /// <summary>Gets the full paths of files to attach.</summary>
    public IList<string> Attachments { get; } = new List<string>();

    /// <summary>Gets or sets the priority. Default is Normal.</summary>
    public DaneMailPriority Priority { get; set; } = DaneMailPriority.Normal;

    /// <summary>Gets or sets the character set of the subject and body. Default is null: UTF-8.</summary>
    public Encoding? Encoding { get; set; }

    /// <summary>Gets or sets the full path of an RFC 5322 (.eml) file to send instead of composing one. Default is null.</summary>
    public string? MimeMessagePath { get; set; }

    /// <summary>Gets the addresses of every recipient given (To, Cc, Bcc), for messages.</summary>
    /// <returns>The recipients in order.</returns>
    public IEnumerable<string> AllRecipients()
    {
        foreach (var list in new[] { To, Cc, Bcc })
        {
            foreach (var r in list) yield return r;
        }
    }
}
