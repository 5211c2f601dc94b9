using ImActors.Client.Inbox;
using ImActors.Protocol.Frames;

namespace ImActors.Protocol.Tests;

// Needs <InternalsVisibleTo Include="ImActors.Protocol.Tests" /> in ImActors.Client.csproj (see this project's csproj).
public sealed class InboxCursorTests
{
    private readonly List<MessageFrame> _ready = [];

    [Fact]
    public void Accept_InOrder_HandsEachOverAtOnce()
    {
        var cursor = new InboxCursor(10);

        foreach (var seq in new long[] { 11, 12, 13 })
        {
            cursor.Accept(Message(seq), _ready);
            Assert.Equal(seq, _ready[^1].Seq);
        }

        Assert.Equal([11, 12, 13], Seqs());
        Assert.Equal(13, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Accept_SeqAtOrBelowLast_IsDropped(long seq)
    {
        var cursor = new InboxCursor(5);

        cursor.Accept(Message(seq), _ready);

        Assert.Empty(_ready);
        Assert.Equal(5, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Fact]
    public void Accept_Duplicate_IsHandedOverOnce()
    {
        var cursor = new InboxCursor(0);
        var first = Message(1);

        cursor.Accept(first, _ready);
        cursor.Accept(Message(1), _ready);

        Assert.Same(first, Assert.Single(_ready));
    }

    [Fact]
    public void Accept_DuplicateOfHeldSeq_IsHandedOverOnce()
    {
        var cursor = new InboxCursor(0);
        var held = Message(2);

        cursor.Accept(held, _ready);
        cursor.Accept(Message(2), _ready);
        cursor.Accept(Message(1), _ready);

        Assert.Equal([1, 2], Seqs());
        Assert.Same(held, _ready[1]);
    }

    [Fact]
    public void Accept_OutOfOrder_HoldsThenReleasesInSeqOrder()
    {
        var cursor = new InboxCursor(0);

        cursor.Accept(Message(4), _ready);
        cursor.Accept(Message(2), _ready);
        cursor.Accept(Message(3), _ready);

        Assert.Empty(_ready);
        Assert.True(cursor.HasGap);
        Assert.Equal(0, cursor.Last);

        cursor.Accept(Message(1), _ready);

        Assert.Equal([1, 2, 3, 4], Seqs());
        Assert.Equal(4, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Fact]
    public void Accept_FillingOnlyPartOfAGap_ReleasesUpToTheNextHole()
    {
        var cursor = new InboxCursor(0);

        cursor.Accept(Message(2), _ready);
        cursor.Accept(Message(4), _ready);
        cursor.Accept(Message(1), _ready);

        Assert.Equal([1, 2], Seqs());
        Assert.Equal(2, cursor.Last);
        Assert.True(cursor.HasGap);
    }

    [Fact]
    public void AcceptOwn_Next_AdvancesWithoutHandingOver()
    {
        var cursor = new InboxCursor(3);

        cursor.AcceptOwn(4, _ready);

        Assert.Empty(_ready);
        Assert.Equal(4, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Fact]
    public void AcceptOwn_FillingAGap_ReleasesTheHeldMessagesButNotItself()
    {
        var cursor = new InboxCursor(0);
        cursor.Accept(Message(2), _ready);

        cursor.AcceptOwn(1, _ready);

        Assert.Equal([2], Seqs());
        Assert.Equal(2, cursor.Last);
    }

    [Fact]
    public void AcceptOwn_Ahead_IsHeldAndItsPushIsNotHandedOver()
    {
        var cursor = new InboxCursor(0);

        cursor.AcceptOwn(2, _ready);
        cursor.Accept(Message(2), _ready);
        cursor.Accept(Message(1), _ready);

        Assert.Equal([1], Seqs());
        Assert.Equal(2, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Fact]
    public void AcceptOwn_AtOrBelowLast_ChangesNothing()
    {
        var cursor = new InboxCursor(5);

        cursor.AcceptOwn(5, _ready);
        cursor.AcceptOwn(2, _ready);

        Assert.Empty(_ready);
        Assert.Equal(5, cursor.Last);
    }

    [Fact]
    public void SkipTo_PastTrimmedRange_ReleasesHeldMessagesAfterIt()
    {
        var cursor = new InboxCursor(0);
        cursor.Accept(Message(5), _ready);
        cursor.Accept(Message(6), _ready);

        cursor.SkipTo(4, _ready);

        Assert.Equal([5, 6], Seqs());
        Assert.Equal(6, cursor.Last);
        Assert.False(cursor.HasGap);
    }

    [Fact]
    public void SkipTo_WithNothingHeld_MovesLastOnly()
    {
        var cursor = new InboxCursor(2);

        cursor.SkipTo(9, _ready);

        Assert.Empty(_ready);
        Assert.Equal(9, cursor.Last);
        cursor.Accept(Message(9), _ready);
        cursor.Accept(Message(10), _ready);
        Assert.Equal([10], Seqs());
    }

    [Fact]
    public void SkipTo_StillShortOfTheNextHeld_KeepsWaiting()
    {
        var cursor = new InboxCursor(0);
        cursor.Accept(Message(8), _ready);

        cursor.SkipTo(5, _ready);

        Assert.Empty(_ready);
        Assert.Equal(5, cursor.Last);
        Assert.True(cursor.HasGap);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(3)]
    public void SkipTo_AtOrBelowLast_ChangesNothing(long seq)
    {
        var cursor = new InboxCursor(7);
        cursor.Accept(Message(9), _ready);

        cursor.SkipTo(seq, _ready);

        Assert.Empty(_ready);
        Assert.Equal(7, cursor.Last);
        Assert.True(cursor.HasGap);
    }

    [Fact]
    public void SkipToFirstHeld_GivesUpOnTheGapAndReleasesHeldInOrder()
    {
        var cursor = new InboxCursor(0);
        cursor.Accept(Message(6), _ready);
        cursor.Accept(Message(4), _ready);
        cursor.Accept(Message(5), _ready);
        cursor.Accept(Message(9), _ready);

        cursor.SkipToFirstHeld(_ready);

        Assert.Equal([4, 5, 6], Seqs());
        Assert.Equal(6, cursor.Last);
        Assert.True(cursor.HasGap);
    }

    [Fact]
    public void SkipToFirstHeld_WithNothingHeld_ChangesNothing()
    {
        var cursor = new InboxCursor(3);

        cursor.SkipToFirstHeld(_ready);

        Assert.Empty(_ready);
        Assert.Equal(3, cursor.Last);
    }

    private static MessageFrame Message(long seq) => FrameSamples.Message(seq);

    private long[] Seqs() => _ready.Select(m => m.Seq).ToArray();
}
