using DaneTools.Core;
using Xunit;

namespace DaneTools.Core.Tests;

public class TextListTests
{
    [Fact]
    public void ToString_JoinsTheItemsText_ListStaysAList()
    {
        var list = new TextList<string>(new[] { "mx1.example.com: Authenticated", "mx2.example.com: AuthFailure" });
        Assert.Equal("mx1.example.com: Authenticated; mx2.example.com: AuthFailure", list.ToString());
        Assert.Equal(2, list.Count);
        Assert.Equal("mx2.example.com: AuthFailure", list[1]);
    }

    [Fact]
    public void ToString_NoItemsOrNull_Empty()
    {
        Assert.Equal(string.Empty, new TextList<int>(null).ToString());
        Assert.Equal(string.Empty, new TextList<int>(new int[0]).ToString());
    }
}
