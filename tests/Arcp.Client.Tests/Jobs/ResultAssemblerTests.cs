using System.Text;
using Arcp.Client.Jobs;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Tests.Jobs;

public sealed class ResultAssemblerTests
{
    [Fact]
    public void Complete_ChunksOutOfOrder_JoinedByChunkSeq()
    {
        // Arrange
        var assembler = new ResultAssembler();
        assembler.Add(new ResultChunkBody("res_1", 1, "world", ResultChunkBody.Utf8, More: true));
        assembler.Add(new ResultChunkBody("res_1", 0, "hello ", ResultChunkBody.Utf8, More: true));
        assembler.Add(new ResultChunkBody("res_1", 2, Convert.ToBase64String("!"u8), ResultChunkBody.Base64, More: false));

        // Act
        var outcome = assembler.Complete("job_1", JobResult.Streamed("job_1", "res_1", 12, "greeting"));

        // Assert
        Assert.Equal("hello world!", Encoding.UTF8.GetString(outcome.StreamedResult!.Value.Span));
        Assert.False(outcome.StreamedResultIsText);
        Assert.Equal("greeting", outcome.Summary);
    }

    [Theory]
    [InlineData("res_1", 11L)]
    [InlineData("res_2", 12L)]
    public void Complete_SizeOrIdMismatch_Throws(string resultId, long size)
    {
        var assembler = new ResultAssembler();
        assembler.Add(new ResultChunkBody("res_1", 0, "hello world!", ResultChunkBody.Utf8, More: false));

        Assert.Throws<InvalidDataException>(() => assembler.Complete("job_1", JobResult.Streamed("job_1", resultId, size)));
    }

    [Fact]
    public void Complete_MissingChunk_Throws()
    {
        var assembler = new ResultAssembler();
        assembler.Add(new ResultChunkBody("res_1", 0, "a", ResultChunkBody.Utf8, More: true));
        assembler.Add(new ResultChunkBody("res_1", 2, "c", ResultChunkBody.Utf8, More: false));

        Assert.Throws<InvalidDataException>(() => assembler.Complete("job_1", JobResult.Streamed("job_1", "res_1", 2)));
    }

    [Fact]
    public void Add_DuplicateChunk_Throws()
    {
        var assembler = new ResultAssembler();
        assembler.Add(new ResultChunkBody("res_1", 0, "a", ResultChunkBody.Utf8, More: true));

        Assert.Throws<InvalidDataException>(() => assembler.Add(new ResultChunkBody("res_1", 0, "a", ResultChunkBody.Utf8, More: true)));
    }
}
