using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Arcp.Protocol.Ids;

/// <summary>
/// Mints ULIDs (48-bit millisecond time from a <see cref="TimeProvider"/>, 80 random bits) and the prefixed
/// identifiers, resume tokens and trace ids of the protocol. ULIDs minted by one instance are strictly increasing.
/// </summary>
public sealed class IdGenerator
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly UInt128 _randomMask = (UInt128.One << 80) - 1;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private long _lastMilliseconds = -1;
    private UInt128 _lastRandom;

    /// <summary>Initializes a generator reading time from <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public IdGenerator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Gets a shared generator over <see cref="TimeProvider.System"/>.</summary>
    public static IdGenerator System { get; } = new(TimeProvider.System);

    /// <summary>Mints a 26-character Crockford base32 ULID.</summary>
    public string NewUlid()
    {
        var milliseconds = Math.Clamp(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), 0L, (1L << 48) - 1);
        UInt128 random;
        lock (_gate)
        {
            // Within one millisecond (or if the clock steps back) increment the random part so that
            // ids stay strictly ordered; on the (practically impossible) overflow borrow the next millisecond.
            if (milliseconds <= _lastMilliseconds)
            {
                milliseconds = _lastMilliseconds;
                random = _lastRandom + 1;
                if (random > _randomMask)
                {
                    milliseconds++;
                    random = NextRandom();
                }
            }
            else
            {
                random = NextRandom();
            }

            _lastMilliseconds = milliseconds;
            _lastRandom = random;
        }

        return Encode(((UInt128)(ulong)milliseconds << 80) | random);
    }

    /// <summary>Mints an envelope id: <c>msg_</c> + ULID.</summary>
    public string NewMessageId() => IdPrefixes.Message + NewUlid();

    /// <summary>Mints a session id: <c>sess_</c> + ULID.</summary>
    public string NewSessionId() => IdPrefixes.Session + NewUlid();

    /// <summary>Mints a job id: <c>job_</c> + ULID.</summary>
    public string NewJobId() => IdPrefixes.Job + NewUlid();

    /// <summary>Mints a streamed result id: <c>res_</c> + ULID.</summary>
    public string NewResultId() => IdPrefixes.Result + NewUlid();

    /// <summary>Mints a credential id: <c>cred_</c> + ULID.</summary>
    public string NewCredentialId() => IdPrefixes.Credential + NewUlid();

    /// <summary>Mints an artifact id: <c>art_</c> + ULID.</summary>
    public string NewArtifactId() => IdPrefixes.Artifact + NewUlid();

    /// <summary>Mints a ping nonce: <c>p_</c> + ULID.</summary>
    public string NewPingNonce() => IdPrefixes.PingNonce + NewUlid();

    /// <summary>Mints a resume token: <c>rt_</c> + 64 lowercase hex characters (32 random bytes).</summary>
    public static string NewResumeToken() => IdPrefixes.ResumeToken + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Mints a W3C trace id: 32 lowercase hex characters, never all zero.</summary>
    public static string NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[16];
        do
        {
            RandomNumberGenerator.Fill(bytes);
        }
        while (!bytes.ContainsAnyExcept((byte)0));

        return Convert.ToHexStringLower(bytes);
    }

    private static UInt128 NextRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        return (UInt128)BinaryPrimitives.ReadUInt128BigEndian(bytes) & _randomMask;
    }

    private static string Encode(UInt128 value) =>
        string.Create(26, value, static (chars, v) =>
        {
            for (var i = 25; i >= 0; i--)
            {
                chars[i] = Crockford[(int)(v & 31)];
                v >>= 5;
            }
        });
}
