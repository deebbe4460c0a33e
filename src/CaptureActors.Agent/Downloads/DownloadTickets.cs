using System.Security.Cryptography;
using CaptureActors.Agent.Storage;
using CaptureActors.Protocol;

namespace CaptureActors.Agent.Downloads;

/// <summary>
/// The download channel's outstanding tickets: each 32 random bytes, bound to one file, offset and size, usable once, and
/// gone after <see cref="Lifetime"/> if unused. At most <see cref="MaxPending"/> wait at a time. Thread-safe: the file
/// store issues them on its actor thread, connections redeem them on the thread pool.
/// </summary>
public sealed class DownloadTickets(TimeSpan lifetime, int maxPending, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<Ticket> _pending = [];

    /// <summary>
    /// One permission: <paramref name="Path"/> is the file on disk, sent from <paramref name="Offset"/> to
    /// <paramref name="FileSize"/>; <paramref name="Identity"/>, when known, the file the store checked (the channel sends
    /// that file or nothing).
    /// </summary>
    public sealed record Ticket(byte[] Token, string Path, string Name, long Offset, long FileSize, DateTimeOffset ExpiresAt, RegularFile.Identity? Identity = null);

    public TimeSpan Lifetime { get; } = lifetime;

    public int MaxPending { get; } = maxPending;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                DropExpired();
                return _pending.Count;
            }
        }
    }

    /// <summary>A new ticket, or null when <see cref="MaxPending"/> tickets already wait.</summary>
    public Ticket? Issue(string path, string name, long offset, long fileSize, RegularFile.Identity? identity = null)
    {
        lock (_lock)
        {
            DropExpired();
            if (_pending.Count >= MaxPending)
            {
                return null;
            }

            var ticket = new Ticket(RandomNumberGenerator.GetBytes(DownloadChannel.TokenBytes), path, name, offset, fileSize, time.GetUtcNow() + Lifetime, identity);
            _pending.Add(ticket);
            return ticket;
        }
    }

    /// <summary>
    /// The ticket <paramref name="token"/> names, if it is unexpired and unused and was issued for this name and offset;
    /// otherwise null and why. A token presented with another name or offset is used up all the same.
    /// </summary>
    public Ticket? Redeem(ReadOnlySpan<byte> token, string name, long offset, out string refusal)
    {
        lock (_lock)
        {
            DropExpired();
            Ticket? found = null;
            foreach (var ticket in _pending)
            {
                // Compare with every pending token in constant time: the channel must not leak how much of a guess matched.
                if (CryptographicOperations.FixedTimeEquals(ticket.Token, token))
                {
                    found = ticket;
                }
            }

            if (found is null)
            {
                refusal = "unknown token (never issued, expired or already used)";
                return null;
            }

            _pending.Remove(found);
            if (found.Name != name || found.Offset != offset)
            {
                refusal = $"token issued for {found.Name} at offset {found.Offset}, presented for {name} at offset {offset}; the ticket is void";
                return null;
            }

            refusal = "";
            return found;
        }
    }

    private void DropExpired()
    {
        var now = time.GetUtcNow();
        _pending.RemoveAll(t => t.ExpiresAt <= now);
    }
}
