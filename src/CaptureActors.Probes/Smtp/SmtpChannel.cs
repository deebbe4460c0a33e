using System.Globalization;
using System.Net.Security;
using System.Text;

namespace CaptureActors.Probes.Smtp;

/// <summary>
/// The client side of an SMTP conversation over a stream: writes command lines, reads (multi-line) replies. Bounded:
/// a line longer than <see cref="MaxLineBytes"/> or a reply of more than <see cref="MaxReplyLines"/> lines is a
/// protocol error, not a reason to keep reading. <see cref="StartTlsAsync"/> swaps the stream for TLS.
/// </summary>
public sealed class SmtpChannel(Stream stream) : IAsyncDisposable
{
    /// <summary>RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; real servers stay well inside this.</summary>
    public const int MaxLineBytes = 4096;

    public const int MaxReplyLines = 256;

    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private Stream _stream = stream;
    private int _start;
    private int _end;

    /// <summary>Sends one command (CRLF added).</summary>
    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        var bytes = Encoding.ASCII.GetBytes(command + "\r\n");
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one complete reply. Throws <see cref="EndOfStreamException"/> when the server closes first, <see cref="InvalidDataException"/> for a malformed reply.</summary>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int? code = null;
        while (lines.Count < MaxReplyLines)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var lineCode)
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new InvalidDataException($"not an SMTP reply line: '{Printable(line)}'");
            }

            if (code is { } first && first != lineCode)
            {
                throw new InvalidDataException($"reply code changed within one reply: {first} then {lineCode}");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(lineCode, lines);
            }
        }

        throw new InvalidDataException($"reply longer than {MaxReplyLines} lines");
    }

    /// <summary>
    /// Runs the TLS handshake over the connection (after the server's 220 to STARTTLS). Bytes the server sent before
    /// the handshake would be injected plaintext (CVE-2011-0411 style): refused.
    /// </summary>
    public async Task<SslStream> StartTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            throw new InvalidDataException($"the server sent {_end - _start} bytes after its 220 to STARTTLS, before the TLS handshake");
        }

        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        _stream = tls;
        return tls;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidDataException($"reply line longer than {MaxLineBytes} bytes");
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }

            _end += read;
        }
    }

    private static string Printable(string line) =>
        new(line.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
