using Arcp.Benchmarks.Capacity;
using Arcp.Benchmarks.Cost;

namespace Arcp.Benchmarks.Tests.Capacity;

public sealed class CapacityModelTests
{
    private static readonly AzureLimits Limits = new();

    [Fact]
    public void Evaluate_TenRequestsPerJobAtSixtyJobsPerMinute_UsesTenRequestsPerSecondOfTheAccount()
    {
        // Arrange
        var model = new CapacityModel(Usage(echoRequests: 10), Limits, new Prices());
        var shape = new LoadShape("test", JobsPerMinute: 60, EventsPerJob: 1, JobSeconds: 0.1, ConnectedSessions: 0, SessionsOpenedPerMinute: 0);

        // Act
        var estimate = model.Evaluate(shape);

        // Assert: one instance (idle costs nothing here), 10 requests/s, headroom 20,000 × 0.7 ÷ 10.
        Assert.Equal(1, estimate.Instances);
        Assert.Equal(10, estimate.StorageRequestsPerSecond, 6);
        var account = estimate.Resources.Single(r => r.Resource == "storage account request rate");
        Assert.Equal(1_400, account.Headroom, 6);
    }

    [Fact]
    public void Evaluate_IdleNodePolling_IsChargedPerInstanceAndTakenOutOfTheJobFigure()
    {
        // Arrange: the echo run lasted 2 s per job-unit... 0.5 s per job; the idle node spends 4 requests/s.
        var usage = Usage(echoRequests: 12, idleRequestsPerSecond: 4, echoSecondsPerJob: 0.5);
        var model = new CapacityModel(usage, Limits, new Prices());
        var shape = new LoadShape("test", JobsPerMinute: 60, EventsPerJob: 1, JobSeconds: 0.1, ConnectedSessions: 0, SessionsOpenedPerMinute: 0);

        // Act
        var estimate = model.Evaluate(shape);

        // Assert: 12 − 4 × 0.5 = 10 per job, plus 4/s for the one instance.
        Assert.Equal(14, estimate.StorageRequestsPerSecond, 6);
    }

    [Fact]
    public void Evaluate_ChatWithOneSessionWritePerEvent_SessionPartitionHeadroomIsPerStream()
    {
        // Arrange: 1,000 entities per 1,000 events into the session partition (one write per event).
        var usage = Usage(echoRequests: 10, streamSessionEntities: 1_000);
        var model = new CapacityModel(usage, Limits, new Prices());

        // Act: 100 events/s per job.
        var estimate = model.Evaluate(LoadShape.Chat(jobsPerMinute: 10, eventsPerSecond: 100, seconds: 60));

        // Assert: 100 entities/s against 2,000 × 0.7 — a property of one stream, not of the rate of jobs.
        var session = estimate.Resources.Single(r => r.Resource == "one session's table partition (seq row, outbox)");
        Assert.Equal(100, session.Usage, 6);
        Assert.Equal(14, session.Headroom, 6);
        Assert.False(session.GrowsWithRate);
    }

    [Fact]
    public void Evaluate_MoreSessionsThanOneUnitServes_WebPubSubConnectionsBiteAndUnitsAreBilled()
    {
        // Arrange
        var model = new CapacityModel(Usage(echoRequests: 10), Limits, new Prices());

        // Act
        var estimate = model.Evaluate(LoadShape.Idle(jobsPerMinute: 10, sessions: 5_000));

        // Assert: 5,000 connections need 5 units; one unit configured.
        Assert.Equal("Web PubSub connections", estimate.FirstLimit.Resource);
        Assert.True(estimate.FirstLimit.Headroom < 1);
        Assert.Equal(5 * 1.61 * 30, estimate.Cost.WebPubSub, 2);
    }

    [Fact]
    public void Evaluate_StorageTransactions_PricedPerService()
    {
        // Arrange: per job 10 table, 5 queue and 1 blob requests; 60 jobs/min for a 30-day month.
        var usage = Usage(echoRequests: 10, echoQueue: 5, echoBlob: 1);
        var model = new CapacityModel(usage, Limits, new Prices());
        var shape = new LoadShape("test", JobsPerMinute: 60, EventsPerJob: 1, JobSeconds: 0.1, ConnectedSessions: 0, SessionsOpenedPerMinute: 0);

        // Act
        var cost = model.Evaluate(shape).Cost;

        // Assert
        const double month = 30 * 24 * 3600;
        var expected = (10 * month * 0.00036 / 10_000) + (5 * month * 0.004 / 10_000) + (1 * month * 0.055 / 10_000);
        Assert.Equal(expected, cost.StorageTransactions, 6);
    }

    [Fact]
    public void LocalPrediction_CoresOverCpuPerUnit_BesideTheMeasuredRate()
    {
        // Arrange: 0.01 host + 0.01 storage CPU-s per job on 2 cores → 100 jobs/s; measured 50 jobs/s.
        var usage = Usage(echoRequests: 10, echoCpu: 0.01, echoSecondsPerJob: 0.02);
        var model = new CapacityModel(usage, Limits, new Prices());

        // Act
        var echo = model.LocalPrediction()[0];

        // Assert
        Assert.Equal(100, echo.Predicted, 6);
        Assert.Equal(50, echo.Measured, 6);
    }

    [Fact]
    public void Evaluate_ShortJobsWithHeavyJobPartition_FirstLimitIsOneThatGrowsWithTheRate()
    {
        // Arrange: echo-like jobs whose own partition takes 5 entities in 0.2 s (25/s, close to nothing grows it).
        var usage = Usage(echoRequests: 10);
        usage = usage with { Echo = usage.Echo with { HottestPartitions = new Dictionary<string, PartitionLoad> { ["jobs"] = new(0.01, 0.03, 100, 5) } } };
        var model = new CapacityModel(usage, Limits, new Prices());

        // Act
        var estimate = model.Evaluate(LoadShape.Short(jobsPerMinute: 1_000));

        // Assert: the job partition is listed with its own headroom but is not the first limit of a growing rate.
        var job = estimate.Resources.Single(r => r.Resource == "one job's table partition");
        Assert.False(job.GrowsWithRate);
        Assert.Equal(25, job.Usage, 6);
        Assert.True(estimate.FirstLimit.GrowsWithRate);
    }

    [Fact]
    public void PredictMixed_UnitsAddedUp_MatchTheCountedTotals()
    {
        // Arrange: 10 requests per job, 4/s idle over a 9 s run (+1 settling second) with 3 jobs.
        var usage = Usage(echoRequests: 10, idleRequestsPerSecond: 4, echoSecondsPerJob: 0);
        var measured = usage.Sessions with { ArcpRequests = 70 };
        usage = usage with { Mixed = new MixedRun(Jobs: 3, StreamedEvents: 0, SessionsOpened: 0, IdleSessions: 0, Seconds: 9, measured) };
        var model = new CapacityModel(usage, Limits, new Prices());

        // Act
        var ours = model.PredictMixed()[0];

        // Assert: 3 × 10 + 10 × 4.
        Assert.Equal("our storage requests", ours.Quantity);
        Assert.Equal(70, ours.Predicted, 6);
        Assert.Equal(70, ours.Measured, 6);
    }

    [Fact]
    public void Evaluate_LongJobs_ChargeTheirInFlightSecondsBeyondTheEchoUnit()
    {
        // Arrange: 2 requests per in-flight job-second; the echo unit ran 0.1 s per job with 8 in flight, so a job's
        // first 0.8 s are in its unit already.
        var usage = Usage(echoRequests: 10) with { InFlight = Workload("in flight", "job-second", units: 1, seconds: 1) with { ArcpRequests = 2, ArcpTableRequests = 2 } };
        var model = new CapacityModel(usage, Limits, new Prices());
        var shape = new LoadShape("test", JobsPerMinute: 60, EventsPerJob: 1, JobSeconds: 10.8, ConnectedSessions: 0, SessionsOpenedPerMinute: 0);

        // Act
        var estimate = model.Evaluate(shape);

        // Assert: 1 job/s × (10 + 10 s × 2).
        Assert.Equal(10, model.ExtraInFlightSeconds(10.8, 1), 6);
        Assert.Equal(30, estimate.StorageRequestsPerSecond, 6);
    }

    [Fact]
    public void PredictMixed_InFlightTimeBeyondTheUnits_IsChargedPerJobSecond()
    {
        // Arrange: 3 jobs of 10 requests whose unit covers 0.8 s each; the client saw 5.4 job-seconds in flight, so
        // 3 more at 2 requests each.
        var usage = Usage(echoRequests: 10) with { InFlight = Workload("in flight", "job-second", units: 1, seconds: 1) with { ArcpRequests = 2 } };
        var measured = usage.Sessions with { ArcpRequests = 36 };
        usage = usage with { Mixed = new MixedRun(Jobs: 3, StreamedEvents: 0, SessionsOpened: 0, IdleSessions: 0, Seconds: 9, measured, JobSeconds: 5.4) };
        var model = new CapacityModel(usage, Limits, new Prices());

        // Act
        var ours = model.PredictMixed()[0];

        // Assert
        Assert.Equal(3, model.MixedExtraInFlightSeconds(usage.Mixed!), 6);
        Assert.Equal(36, ours.Predicted, 6);
    }

    [Fact]
    public void Extra_LongerRunLessShorterLessIdle_PerUnitOfExtraTime()
    {
        // Arrange: 100 requests over 3 s, 220 over 15 s; the idle node spends 1/s: (220 − 100 − 12) ÷ (8 jobs × 12 s).
        var idle = Workload("idle", "second", units: 1, seconds: 1) with { ArcpRequests = 1, ByOperation = new Dictionary<string, double> { ["arcp table sessions get entity"] = 1 } };
        var shorter = Workload("short", "run", units: 1, seconds: 3) with { ArcpRequests = 100, ByOperation = new Dictionary<string, double> { ["arcp table sessions get entity"] = 60 } };
        var longer = Workload("long", "run", units: 1, seconds: 15) with { ArcpRequests = 220, ByOperation = new Dictionary<string, double> { ["arcp table sessions get entity"] = 168 } };

        // Act
        var extra = WorkloadCost.Extra(longer, shorter, idle, units: 96, "in flight", "job-second");

        // Assert
        Assert.Equal(108.0 / 96, extra.ArcpRequests, 6);
        Assert.Equal(96.0 / 96, extra.ByOperation["arcp table sessions get entity"], 6);
        Assert.Equal(12, extra.Seconds, 6);
    }

    [Fact]
    public void Evaluate_StreamFasterThanOneRestSendAtATime_WebPubSubSendsDoNotFitWhateverTheRate()
    {
        // Arrange: 20 ms per send → 50 frames/s per session, 35 at 70 %.
        var model = new CapacityModel(Usage(echoRequests: 10), Limits with { WebPubSubSendMs = 20 }, new Prices());

        // Act: 75 events/s per stream.
        var estimate = model.Evaluate(LoadShape.Chat(jobsPerMinute: 10));

        // Assert
        var sends = estimate.Resources.Single(r => r.Resource.StartsWith("one session's Web PubSub sends", StringComparison.Ordinal));
        Assert.Equal(75, sends.Usage, 6);
        Assert.Equal(50, sends.Limit, 6);
        Assert.Equal(35.0 / 75, sends.Headroom, 6);
        Assert.False(sends.GrowsWithRate);
    }

    [Fact]
    public void FromJson_WrittenReport_ReadsBack()
    {
        // Arrange
        var usage = Usage(echoRequests: 7, streamSessionEntities: 3);

        // Act
        var back = CostReport.FromJson(usage.ToJson());

        // Assert
        Assert.Equal(7, back.Echo.ArcpTableRequests);
        Assert.Equal(3, back.StreamOneJob.HottestPartitions["sessions"].Entities);
    }

    private static CostReport Usage(
        double echoRequests,
        double echoQueue = 0,
        double echoBlob = 0,
        double idleRequestsPerSecond = 0,
        double echoSecondsPerJob = 0.1,
        double echoCpu = 0,
        double streamSessionEntities = 0)
    {
        var none = Workload("none", "unit", units: 1, seconds: 1);
        return new CostReport
        {
            Measured = DateTimeOffset.UnixEpoch,
            Cores = 2,
            Idle = Workload("idle", "second", units: 1, seconds: 1) with { ArcpTableRequests = idleRequestsPerSecond, ArcpRequests = idleRequestsPerSecond },
            Echo = Workload("echo", "job", units: 100, seconds: 100 * echoSecondsPerJob) with
            {
                ArcpTableRequests = echoRequests,
                ArcpRequests = echoRequests + echoBlob,
                ArcpBlobRequests = echoBlob,
                DurableQueueRequests = echoQueue,
                DurableRequests = echoQueue,
                HostCpuSeconds = echoCpu,
                StorageCpuSeconds = echoCpu,
            },
            StreamOneJob = Workload("stream", "1,000 events", units: 20, seconds: 1) with
            {
                HottestPartitions = new Dictionary<string, PartitionLoad> { ["sessions"] = new(streamSessionEntities, streamSessionEntities, 1, streamSessionEntities * 20) },
            },
            StreamEightJobs = none,
            Sessions = none,
            IdleSessions = none,
        };
    }

    private static WorkloadCost Workload(string name, string unit, double units, double seconds) => WorkloadCost.Free(name, unit, units, seconds);
}
