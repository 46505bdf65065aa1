using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;

namespace DaneTools.Core.Delivery;

/// <summary>Makes the MimeKit message Send-DaneMail delivers: an .eml read as it is, or one composed from its parts.</summary>
internal static class DaneMimeComposer
{
    /// <summary>Reads the envelope sender: -From when given, else the message's Sender or first From.</summary>
    /// <exception cref="ArgumentException">No sender, or one that is not an address.</exception>
    internal static string ReadSender(DaneMailMessage message, MimeMessage mime)
    {
        if (!string.IsNullOrWhiteSpace(message.From))
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, message.From, out var from))
                throw new ArgumentException($"'{message.From}' is not an e-mail address.", nameof(message));
            return from.Address;
        }
        var header = mime.Sender ?? mime.From.Mailboxes.FirstOrDefault();
        if (header is null) throw new ArgumentException("The message has no sender (From).", nameof(message));
        return header.Address;
    }

    /// <summary>Loads the .eml (adding a Message-ID and Date when missing) or composes the message from its parts.</summary>
    /// <exception cref="ArgumentException">No sender, or an address that does not parse.</exception>
    /// <exception cref="FileNotFoundException">The .eml or an attachment does not exist.</exception>
    /// <exception cref="FormatException">The .eml is not an RFC 5322 message, or has no From.</exception>
    internal static async Task<MimeMessage> ComposeAsync(DaneMailMessage m, CancellationToken cancellationToken)
    {
        if (m.MimeMessagePath is not null)
        {
            if (!File.Exists(m.MimeMessagePath)) throw new FileNotFoundException($"The message file '{m.MimeMessagePath}' does not exist.", m.MimeMessagePath);
            MimeMessage loaded;
            try
            {
                loaded = await MimeMessage.LoadAsync(m.MimeMessagePath, cancellationToken).ConfigureAwait(false);
            }
            catch (ParseException ex)
            {
                throw new FormatException($"'{m.MimeMessagePath}' is not an RFC 5322 message: {ex.Message}", ex);
            }
            if (loaded.From.Count == 0 && string.IsNullOrWhiteSpace(m.From)) throw new FormatException($"'{m.MimeMessagePath}' has no From header.");
            if (string.IsNullOrEmpty(loaded.MessageId)) loaded.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
            if (!loaded.Headers.Contains(HeaderId.Date)) loaded.Date = DateTimeOffset.Now;
            return loaded;
        }

        if (string.IsNullOrWhiteSpace(m.From)) throw new ArgumentException("The message has no sender (From).", nameof(m));
        var encoding = m.Encoding ?? new UTF8Encoding(false);
        var message = new MimeMessage();
        message.From.Add(ParseHeaderAddress(m.From!));
        foreach (var t in m.To) message.To.Add(ParseHeaderAddress(t));
        foreach (var c in m.Cc) message.Cc.Add(ParseHeaderAddress(c));
        message.Headers.Replace(HeaderId.Subject, encoding, m.Subject ?? string.Empty);
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(DomainOf(message.From.Mailboxes.First().Address));
        switch (m.Priority)
        {
            case DaneMailPriority.High:
                message.Priority = MessagePriority.Urgent;
                message.XPriority = XMessagePriority.High;
                message.Importance = MessageImportance.High;
                break;
            case DaneMailPriority.Low:
                message.Priority = MessagePriority.NonUrgent;
                message.XPriority = XMessagePriority.Low;
                message.Importance = MessageImportance.Low;
                break;
        }
        var text = new TextPart(m.BodyAsHtml ? "html" : "plain");
        text.SetText(encoding, m.Body ?? string.Empty);
        if (m.Attachments.Count == 0)
        {
            message.Body = text;
            return message;
        }
        var mixed = new Multipart("mixed") { text };
        foreach (var path in m.Attachments)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The attachment '{path}' does not exist.", path);
            var bytes = await ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var part = new MimePart(MimeTypes.GetMimeType(path))
            {
                Content = new MimeContent(new MemoryStream(bytes)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = Path.GetFileName(path),
            };
            mixed.Add(part);
        }
        message.Body = mixed;
        return message;
    }

    private static async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static MailboxAddress ParseHeaderAddress(string text)
    {
        if (!MailboxAddress.TryParse(ParserOptions.Default, DomainNameInput.WithoutProxyPrefix(text), out var mailbox))
            throw new ArgumentException($"'{text}' is not an e-mail address.", nameof(text));
        return mailbox;
    }

    private static string DomainOf(string address)
    {
        int at = address.LastIndexOf('@');
        return at >= 0 ? address.Substring(at + 1) : "localhost";
    }
}
