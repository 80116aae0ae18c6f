using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Tests.Jobs;

public sealed class JobStateMachineTests
{
    public static TheoryData<JobStatus, JobStatus, bool> Edges()
    {
        var data = new TheoryData<JobStatus, JobStatus, bool>();
        var allowed = new HashSet<(JobStatus, JobStatus)>
        {
            (JobStatus.Pending, JobStatus.Running),
            (JobStatus.Pending, JobStatus.Cancelled),
            (JobStatus.Pending, JobStatus.Error),
            (JobStatus.Running, JobStatus.Success),
            (JobStatus.Running, JobStatus.Error),
            (JobStatus.Running, JobStatus.Cancelled),
            (JobStatus.Running, JobStatus.TimedOut),
        };
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void CanTransition_EveryPair_MatchesTheLifecycle(JobStatus from, JobStatus to, bool expected)
    {
        Assert.Equal(expected, JobStateMachine.CanTransition(from, to));
    }

    [Theory]
    [InlineData(JobStatus.Success)]
    [InlineData(JobStatus.Error)]
    [InlineData(JobStatus.Cancelled)]
    [InlineData(JobStatus.TimedOut)]
    public void Decide_FromTerminal_AlreadyTerminal(JobStatus terminal)
    {
        foreach (var target in Enum.GetValues<JobStatus>())
        {
            Assert.Equal(TransitionDecision.AlreadyTerminal, JobStateMachine.Decide(terminal, cancelRequested: false, target));
        }
    }

    [Theory]
    [InlineData(JobStatus.Success, nameof(TransitionDecision.CancelPending))]
    [InlineData(JobStatus.Error, nameof(TransitionDecision.CancelPending))]
    [InlineData(JobStatus.TimedOut, nameof(TransitionDecision.CancelPending))]
    [InlineData(JobStatus.Cancelled, nameof(TransitionDecision.Allowed))]
    public void Decide_RunningWithCancelRequested_OnlyCancelledAllowed(JobStatus target, string expected)
    {
        Assert.Equal(Enum.Parse<TransitionDecision>(expected), JobStateMachine.Decide(JobStatus.Running, cancelRequested: true, target));
    }

    [Fact]
    public void Decide_PendingToTimedOut_NotAllowed()
    {
        Assert.Equal(TransitionDecision.NotAllowed, JobStateMachine.Decide(JobStatus.Pending, false, JobStatus.TimedOut));
    }
}
