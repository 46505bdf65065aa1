using System;
using System.Diagnostics;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// The I/O mode is a property of the record source a worker is given (it replaced a thread-static switch): a
/// <see cref="DnsIoMode.Blocking"/> source blocks the dedicated thread that calls it, never a pool thread, and an
/// <see cref="DnsIoMode.Awaited"/> source blocks no thread.
/// </summary>
public sealed class DnsIoModeTests
{
    private static DnsClientRecordSource Silent(CannedDnsServer server, DnsIoMode mode) =>
        new(new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 1, Retries = 0, IoMode = mode });

    private static (Task<DnsResponse> Task, TimeSpan CallTook) CallOn(bool dedicatedThread, IDnsRecordSource source)
    {
        (Task<DnsResponse>, TimeSpan) Call()
        {
            var clock = Stopwatch.StartNew();
            var task = source.QueryAsync(DnsName.Parse("example.test."), DnsRecordType.A);
            return (task, clock.Elapsed);
        }
        return dedicatedThread
            ? Task.Factory.StartNew(Call, TaskCreationOptions.LongRunning).Result
            : Task.Run(Call).Result;
    }

    [Fact]
    public async Task Blocking_BlocksOnlyADedicatedCallingThread()
    {
        using var server = new CannedDnsServer(answer: null);
        var blocking = Silent(server, DnsIoMode.Blocking);

        var onWorker = CallOn(dedicatedThread: true, blocking);
        var onPool = CallOn(dedicatedThread: false, blocking);

        // On the worker the call itself waited for the timeout and returned a finished task; on the pool it returned at once.
        Assert.True(onWorker.Task.IsCompleted);
        Assert.True(onWorker.CallTook >= TimeSpan.FromMilliseconds(800), $"took {onWorker.CallTook}");
        Assert.False(onPool.Task.IsCompleted);
        Assert.True(onPool.CallTook < TimeSpan.FromMilliseconds(500), $"took {onPool.CallTook}");
        await Assert.ThrowsAsync<DnsTransportException>(() => onWorker.Task);
        await Assert.ThrowsAsync<DnsTransportException>(() => onPool.Task);
    }

    [Fact]
    public async Task Awaited_NeverBlocksTheCallingThread()
    {
        using var server = new CannedDnsServer(answer: null);
        var awaited = Silent(server, DnsIoMode.Awaited);

        var onWorker = CallOn(dedicatedThread: true, awaited);

        Assert.False(onWorker.Task.IsCompleted);
        Assert.True(onWorker.CallTook < TimeSpan.FromMilliseconds(500), $"took {onWorker.CallTook}");
        var ex = await Assert.ThrowsAsync<DnsTransportException>(() => onWorker.Task);
        Assert.True(ex.IsTimeout);
    }

    [Fact]
    public void WithIoMode_GivesAViewInThatMode_TheSourceItselfWhenAlreadyInIt()
    {
        using var server = new CannedDnsServer(answer: null);
        var options = new DnsTransportOptions { Servers = new[] { server.EndPoint }, TimeoutSeconds = 1 };
        var counted = new CountingRecordSource(AuthoritativeFallbackSource.Create(options));
        var iterative = IterativeRecordSource.Create(new[] { server.EndPoint }, 1);

        var countedView = (IDnsIoModeSource)counted.WithIoMode(DnsIoMode.Blocking);
        var iterativeView = (IDnsIoModeSource)iterative.WithIoMode(DnsIoMode.Blocking);

        Assert.Equal(DnsIoMode.Awaited, counted.IoMode);
        Assert.Equal(DnsIoMode.Blocking, countedView.IoMode);
        Assert.Equal(DnsIoMode.Awaited, iterative.IoMode);
        Assert.Equal(DnsIoMode.Blocking, iterativeView.IoMode);
        Assert.Same(counted, counted.WithIoMode(DnsIoMode.Awaited));
        Assert.Same(countedView, countedView.WithIoMode(DnsIoMode.Blocking));
    }

    [Fact]
    public async Task WithIoMode_ViewCountsIntoTheSameRun()
    {
        using var server = new CannedDnsServer(answer: null);
        var counted = new CountingRecordSource(Silent(server, DnsIoMode.Awaited));
        var view = counted.WithIoMode(DnsIoMode.Blocking);

        await Assert.ThrowsAsync<DnsTransportException>(() => counted.QueryAsync(DnsName.Parse("a.test."), DnsRecordType.A));
        await Assert.ThrowsAsync<DnsTransportException>(() => view.QueryAsync(DnsName.Parse("b.test."), DnsRecordType.A));

        Assert.Equal(2, counted.Questions);
        Assert.Equal(2, server.QueriesReceived);
    }
}
