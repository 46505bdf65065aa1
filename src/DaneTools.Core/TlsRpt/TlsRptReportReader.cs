using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Reads TLS-RPT reports (RFC 8460) from files (<c>.json</c>, <c>.json.gz</c>/<c>.gz</c>, mail messages), folders and
/// Maildirs, and from JSON text or bytes: one <see cref="TlsRptPolicyReport"/> per (report, policy).
/// </summary>
/// <remarks>
/// The content decides, not the extension: gzip by its magic bytes, JSON by its first character, anything else is read
/// as a mail message (<see cref="TlsRptMailReader"/>). Every input is capped (<see cref="TlsRptReadOptions"/>) before and
/// after decompression. URIs in reports are text only: nothing here opens a network connection.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-5"/>
public static class TlsRptReportReader
{
    /// <summary>Reads every report in one file.</summary>
    /// <param name="path">The full path of a .json, .json.gz/.gz or mail (.eml, Maildir entry) file.</param>
    /// <param name="options">Caps; null for the defaults.</param>
    /// <returns>One entry per (report, policy), in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TlsRptFormatException">The file is too large, not gzip, not JSON, not a report, or a mail without one.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<TlsRptPolicyReport> ReadFile(string path, TlsRptReadOptions? options = null)
    {
        options ??= new TlsRptReadOptions();
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"TLS-RPT report file '{path}' was not found.", path);
        if (info.Length > options.MaxInputBytes)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.SizeLimitExceeded, path,
                $"'{path}' is {info.Length} bytes, more than the {options.MaxInputBytes}-byte cap for a TLS-RPT report file.");
        }
        var content = File.ReadAllBytes(path);
        var kind = IsGzip(content) ? "gzip" : LooksLikeJson(content) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "mail";
        var source = TlsRptSource.ForFile(path, kind);
        return kind == "mail" ? TlsRptMailReader.Read(content, source, options) : ReadReport(content, source, options);
    }

    /// <summary>Reads a report given as bytes: gzip-compressed or plain JSON (UTF-8), or a whole mail message.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="options">Caps; null for the defaults.</param>
    /// <returns>One entry per (report, policy).</returns>
    /// <exception cref="TlsRptFormatException">Too large, not gzip, not JSON, not a report.</exception>
    public static IReadOnlyList<TlsRptPolicyReport> ReadBytes(byte[] content, TlsRptReadOptions? options = null)
    {
        options ??= new TlsRptReadOptions();
        if (content is null) throw new ArgumentNullException(nameof(content));
        CheckInputSize(content.LongLength, TlsRptSource.InputObjectName, options);
        if (!IsGzip(content) && !LooksLikeJson(content)) return TlsRptMailReader.Read(content, TlsRptSource.ForInput("mail"), options);
        return ReadReport(content, TlsRptSource.ForInput("bytes"), options);
    }

    /// <summary>Reads a report given as JSON text.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="options">Caps; null for the defaults.</param>
    /// <returns>One entry per (report, policy).</returns>
    /// <exception cref="TlsRptFormatException">Too large, not JSON, not a report.</exception>
    public static IReadOnlyList<TlsRptPolicyReport> ReadText(string json, TlsRptReadOptions? options = null)
    {
        options ??= new TlsRptReadOptions();
        if (json is null) throw new ArgumentNullException(nameof(json));
        CheckInputSize(json.Length, TlsRptSource.InputObjectName, options);
        return TlsRptJsonParser.Parse(Encoding.UTF8.GetBytes(json), TlsRptSource.ForInput("text"), options);
    }

    /// <summary>Lists the files of a folder that may hold reports: a Maildir's <c>cur</c> and <c>new</c> messages, or the
    /// files directly in any other folder (not recursive), in name order.</summary>
    /// <param name="folder">The folder's full path.</param>
    /// <param name="options">Caps; null for the defaults.</param>
    /// <returns>Full paths.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="TlsRptFormatException">More files than <see cref="TlsRptReadOptions.MaxFilesPerFolder"/>.</exception>
    public static IReadOnlyList<string> EnumerateFolder(string folder, TlsRptReadOptions? options = null)
    {
        options ??= new TlsRptReadOptions();
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Folder '{folder}' was not found.");
        bool maildir = Directory.Exists(Path.Combine(folder, "cur")) && Directory.Exists(Path.Combine(folder, "new"));
        var folders = maildir ? new[] { Path.Combine(folder, "cur"), Path.Combine(folder, "new") } : new[] { folder };
        var files = folders.SelectMany(f => Directory.EnumerateFiles(f)).Take(options.MaxFilesPerFolder + 1).ToList();
        if (files.Count > options.MaxFilesPerFolder)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.SizeLimitExceeded, folder,
                $"Folder '{folder}' holds more than {options.MaxFilesPerFolder} files; give a narrower path.");
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Reads a report part: gzip (decompressed under the cap) or JSON, then compares its source with the JSON.</summary>
    internal static IReadOnlyList<TlsRptPolicyReport> ReadReport(byte[] content, TlsRptSource source, TlsRptReadOptions options)
    {
        var json = IsGzip(content) ? Decompress(content, source, options) : content;
        var reports = TlsRptJsonParser.Parse(json, source, options);
        TlsRptSourceCheck.Compare(reports, source);
        return reports;
    }

    internal static bool IsGzip(byte[] content) => content.Length >= 2 && content[0] == 0x1F && content[1] == 0x8B;

    internal static bool LooksLikeJson(byte[] content)
    {
        int i = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
        while (i < content.Length && (content[i] == ' ' || content[i] == '\t' || content[i] == '\r' || content[i] == '\n')) i++;
        return i < content.Length && (content[i] == '{' || content[i] == '[');
    }

    internal static void CheckInputSize(long length, string path, TlsRptReadOptions options)
    {
        if (length > options.MaxInputBytes)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.SizeLimitExceeded, path,
                $"{TlsRptSource.Display(path)} is {length} bytes, more than the {options.MaxInputBytes}-byte cap for a TLS-RPT report.");
        }
    }

    // GZipStream does the decompression; we only count, so a bomb stops at the cap instead of filling memory.
    private static byte[] Decompress(byte[] content, TlsRptSource source, TlsRptReadOptions options)
    {
        var name = TlsRptSource.Display(source.Path);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(content, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > options.MaxDecompressedBytes)
                {
                    throw new TlsRptFormatException(TlsRptErrorKind.SizeLimitExceeded, source.Path,
                        $"{name} decompresses to more than {options.MaxDecompressedBytes} bytes ({content.Length} compressed): " +
                        "refused as a possible gzip bomb.");
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.InvalidGzip, source.Path, $"{name} is not valid gzip: {ex.Message}", ex);
        }
    }
}
