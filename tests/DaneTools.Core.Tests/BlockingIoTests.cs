using System;
using System.Threading.Tasks;
using Xunit;

namespace DaneTools.Core.Tests;

public sealed class BlockingIoTests
{
    [Fact]
    public void Run_BlocksOnlyTheCallingThread_ForTheBodyAlone()
    {
        Assert.False(BlockingIo.IsEnabled);
        bool inside = false, otherThread = true, afterNested = false;

        int result = BlockingIo.Run(() =>
        {
            inside = BlockingIo.IsEnabled;
            otherThread = Task.Factory.StartNew(() => BlockingIo.IsEnabled, TaskCreationOptions.LongRunning).Result;
            BlockingIo.Run(() => 0);
            afterNested = BlockingIo.IsEnabled;
            return 42;
        });

        Assert.Equal(42, result);
        Assert.True(inside);
        Assert.False(otherThread);
        Assert.True(afterNested);
        Assert.False(BlockingIo.IsEnabled);
    }

    [Fact]
    public void Run_BodyThrows_FlagIsCleared()
    {
        Assert.Throws<InvalidOperationException>(() => BlockingIo.Run<int>(() => throw new InvalidOperationException("x")));

        Assert.False(BlockingIo.IsEnabled);
    }
}
