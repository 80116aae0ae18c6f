using System.Text;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Parsing;
using Arcp.Protocol.Tests.TestData;
using CsCheck;

namespace Arcp.Protocol.Tests.Parsing;

public sealed partial class ArcpParserTests
{
    private static readonly IReadOnlyList<byte[]> _seeds = Samples.Frames();

    // Values substituted for a field to produce wrong types, huge numbers and hostile structures.
    private static readonly string[] _hostileValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "99999999999999999999", "-99999999999999999999",
        "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"a\":null}", "\"\\ud800\"", "\"\\u0000\"", "1E2", "0.0000000000000000000000000001",
        "\"2026-05-13T10:00:00+00:00\"", "\"2026-13-45T99:99:99Z\"",
        new string('[', 10_000) + new string(']', 10_000),
        new string('[', 100) + new string(']', 100),
    ];

    private static readonly string[] _fieldNames =
    [
        "arcp", "id", "type", "session_id", "job_id", "event_seq", "trace_id", "timestamp", "payload",
        "agent", "input", "lease_request", "lease_constraints", "expires_at", "idempotency_key", "max_runtime_sec",
        "last_event_seq", "last_processed_seq", "limit", "cursor", "filter", "status", "client", "auth", "resume",
        "capabilities", "features", "nonce", "sent_at", "code", "message", "retryable", "details", "kind", "ts", "body",
        "result", "result_id", "result_size", "final_status", "job_id", "from_event_seq", "history", "jobs", "next_cursor",
    ];

    [Fact]
    public void TryParse_RandomBytes_NeverThrowsAndErrorsAreInvalidRequest()
    {
        // Arrange
        var gen = Gen.Byte.Array[0, 300];

        // Act + Assert
        gen.Sample(AssertTotal, iter: 4_000);
    }

    [Fact]
    public void TryParse_RandomJsonishText_NeverThrowsAndErrorsAreInvalidRequest()
    {
        // Arrange: text drawn from JSON punctuation, digits, letters and escapes, so that many frames get past the tokenizer.
        var gen = Gen.OneOf(Gen.Const("{"), Gen.Const("}"), Gen.Const("["), Gen.Const("]"), Gen.Const(":"), Gen.Const(","),
                Gen.Const("\""), Gen.Const("\"id\":\"m\""), Gen.Const("\"type\":\"job.submit\""), Gen.Const("\"payload\":"),
                Gen.Const("1e400"), Gen.Const("-0.5"), Gen.Const("null"), Gen.Const("true"), Gen.Const("\\u"), Gen.Const(" "),
                Gen.String[0, 5])
            .Array[0, 40]
            .Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));

        // Act + Assert
        gen.Sample(AssertTotal, iter: 3_000);
    }

    [Fact]
    public void TryParse_MutatedValidFrames_NeverThrowsAndErrorsAreInvalidRequest()
    {
        // Arrange
        var gen =
            from seed in Gen.Int[0, _seeds.Count - 1]
            from mutation in Gen.Int[0, 9]
            from position in Gen.Double[0, 1]
            from value in Gen.Byte
            from hostile in Gen.Int[0, _hostileValues.Length - 1]
            from field in Gen.Int[0, _fieldNames.Length - 1]
            select Mutate(_seeds[seed], mutation, position, value, _hostileValues[hostile], _fieldNames[field]);

        // Act + Assert
        gen.Sample(AssertTotal, iter: 6_000);
    }

    [Fact]
    public void TryParse_EveryFieldWithEveryHostileValue_NeverThrowsAndErrorsAreInvalidRequest()
    {
        // Arrange
        var frames = new List<byte[]>();
        foreach (var seed in _seeds)
        {
            foreach (var field in _fieldNames)
            {
                foreach (var hostile in _hostileValues)
                {
                    frames.Add(ReplaceField(seed, field, hostile));
                }
            }
        }

        // Act + Assert
        Assert.True(frames.Count > 10_000);
        foreach (var frame in frames)
        {
            AssertTotal(frame);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryParse_TwoMebibyteFrames_InvalidRequest(int variant)
    {
        // Arrange
        var big = new string('a', 2 * 1024 * 1024);
        var frame = variant switch
        {
            0 => "{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\"" + big + "\"}}",
            1 => "{\"id\":\"" + big + "\",\"type\":\"session.bye\"}",
            2 => big,
            _ => new string(' ', 2 * 1024 * 1024) + "{}",
        };

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Null(message);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void TryParse_TwoMebibyteStringWithRaisedLimit_ParsesWithoutThrowing()
    {
        // Arrange
        var options = new ArcpParserOptions { MaxFrameBytes = 4 * 1024 * 1024 };
        var frame = Encoding.UTF8.GetBytes("{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\"" + new string('é', 1024 * 1024) + "\"}}");

        // Act
        var ok = ArcpParser.TryParse(frame, options, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Equal("m1", message.Id);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"type\":\"session.bye\"}")]
    [InlineData("{\"id\":\"a\",\"type\":\"session.ack\",\"payload\":{\"last_processed_seq\":1,\"last_processed_seq\":-1}}")]
    [InlineData("{\"id\":\"a\",\"type\":\"job.submit\",\"payload\":{\"agent\":\"a\",\"lease_request\":{\"fs.read\":[\"/a\"],\"fs.read\":[\"/b\"]}}}")]
    [InlineData("{\"id\":\"a\",\"type\":\"session.bye\",\"payload\":{},\"payload\":[]}")]
    public void TryParse_DuplicateKeys_MessageOrInvalidRequest(string frame)
    {
        // Act + Assert
        AssertTotal(Encoding.UTF8.GetBytes(frame));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x20, 0x0A, 0x09, 0x0D })]
    public void TryParse_InvalidUtf8OrEmptyInput_InvalidRequest(byte[] frame)
    {
        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    private static void AssertTotal(byte[] frame)
    {
        var ok = ArcpParser.TryParse(frame, out var message, out var error);
        if (ok)
        {
            Assert.NotNull(message);
            Assert.Null(error);
            Assert.False(string.IsNullOrEmpty(message.Id));
            Assert.False(string.IsNullOrEmpty(message.Type));
        }
        else
        {
            Assert.Null(message);
            Assert.NotNull(error);
            Assert.Equal(ErrorCode.InvalidRequest, error.Code);
            Assert.False(string.IsNullOrEmpty(error.Message));
        }
    }

    private static byte[] Mutate(byte[] seed, int mutation, double position, byte value, string hostile, string field)
    {
        var at = (int)(position * seed.Length);
        return mutation switch
        {
            0 => seed[..at],
            1 => Flip(seed, at, value),
            2 => [.. seed[..at], value, .. seed[at..]],
            3 => at < seed.Length ? [.. seed[..at], .. seed[(at + 1)..]] : seed,
            4 => ReplaceField(seed, field, hostile),
            5 => [0xEF, 0xBB, 0xBF, .. seed],
            6 => [.. " \n\t"u8, .. seed, .. "\r\n"u8],
            7 => [.. seed[..at], 0xC3, .. seed[at..]],
            8 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(seed).Replace("{", "{\"" + field + "\":" + hostile + ",", StringComparison.Ordinal)),
            _ => [.. seed[..at], .. Encoding.UTF8.GetBytes(hostile), .. seed[at..]],
        };
    }

    private static byte[] Flip(byte[] seed, int at, byte value)
    {
        var copy = (byte[])seed.Clone();
        if (copy.Length > 0)
        {
            copy[Math.Min(at, copy.Length - 1)] ^= (byte)(value | 1);
        }

        return copy;
    }

    // Replaces the value of every occurrence of "field": with the hostile value; appends the field to the outer
    // object and to the payload when it does not occur, so that missing and wrong-typed fields are both exercised.
    private static byte[] ReplaceField(byte[] seed, string field, string hostile)
    {
        var text = Encoding.UTF8.GetString(seed);
        var key = "\"" + field + "\":";
        var index = text.IndexOf(key, StringComparison.Ordinal);
        if (index < 0)
        {
            var payload = text.IndexOf("\"payload\":{", StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(payload < 0
                ? text.Insert(1, key + hostile + ",")
                : text.Insert(payload + "\"payload\":{".Length, key + hostile + ","));
        }

        var start = index + key.Length;
        var end = SkipValue(text, start);
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, start), hostile, text.AsSpan(end)));
    }

    private static int SkipValue(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' when depth == 0:
                    return i;
            }
        }

        return text.Length;
    }
}
