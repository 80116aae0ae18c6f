using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Protocol.Tests.Envelopes;

public sealed class EnvelopeFactoryTests
{
    [Fact]
    public void Create_NoId_MintsMessageIdAndTruncatedUtcTimestamp()
    {
        // Arrange
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 13, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(12_345));
        var factory = new EnvelopeFactory(time);

        // Act
        var message = factory.Create("sess_1", new SessionBye());

        // Assert
        Assert.StartsWith(IdPrefixes.Message, message.Id, StringComparison.Ordinal);
        Assert.True(IdFormats.IsValidUlid(message.Id[4..]));
        Assert.Equal(MessageTypes.SessionBye, message.Type);
        Assert.Equal(new DateTimeOffset(2026, 5, 13, 10, 0, 0, 1, TimeSpan.Zero), message.Timestamp);
        Assert.Equal(TimeSpan.Zero, message.Timestamp!.Value.Offset);
    }

    [Fact]
    public void Create_EventSeqZero_Throws()
    {
        // Arrange
        var factory = new EnvelopeFactory(TimeProvider.System);

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => factory.Create("sess_1", new SessionBye(), eventSeq: 0));
    }

    [Fact]
    public void Create_EmptySession_Throws()
    {
        // Arrange
        var factory = new EnvelopeFactory(TimeProvider.System);

        // Act + Assert
        Assert.Throws<ArgumentException>(() => factory.Create(string.Empty, new SessionBye()));
    }

    [Fact]
    public void GetMessageType_VendorPayload_Throws()
    {
        // Arrange
        var payload = new UnknownVendorMessage(TestData.JsonHelpers.Element("{}"));

        // Act + Assert
        Assert.Throws<ArgumentException>(() => EnvelopeFactory.GetMessageType(payload));
    }

    [Theory]
    [InlineData(typeof(JobSubmit), "job.submit")]
    [InlineData(typeof(SessionListJobs), "session.list_jobs")]
    [InlineData(typeof(JobUnsubscribe), "job.unsubscribe")]
    public void GetMessageType_PayloadRecord_ReturnsWireType(Type payloadType, string expected)
    {
        // Arrange
        var payload = TestData.Samples.All().First(p => p.GetType() == payloadType);

        // Act
        var type = EnvelopeFactory.GetMessageType(payload);

        // Assert
        Assert.Equal(expected, type);
    }
}
