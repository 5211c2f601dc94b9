using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Client;

/// <summary>An ACK that answers no pending send (a retry's duplicate arriving after the first ACK) must move no cursor.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class DuplicateAckTests
{
    [Fact]
    public async Task A_LateDuplicateAckOfAGroupSend_DoesNotHideTheInboxMessageAtTheSameSeq()
    {
        await using var edge = new FakeEdge(async (connection, frame) =>
        {
            if (frame.Body is SendFrame { Group: "team" } send)
            {
                var ack = new AckFrame { ClientMessageId = send.ClientMessageId, MessageId = "g5", Seq = 5, Timestamp = 1 };
                await connection.SendAsync(FrameKind.Ack, ack);
                // The retry's answer, after the send has completed: the same ACK, marked duplicate.
                ack.Duplicate = true;
                await connection.SendAsync(FrameKind.Ack, ack);
                // Then bob's messages fill the inbox up to seq 5 (the group's seq 5 says nothing about the inbox).
                for (var seq = 1; seq <= 5; seq++)
                {
                    await connection.SendAsync(FrameKind.Message, new MessageFrame
                    {
                        Id = $"d{seq}", Seq = seq, From = "bob", To = "alice", Timestamp = 2, ContentType = "text/plain", Body = "hi"u8.ToArray(),
                    });
                }
            }
        });
        await using var client = edge.NewClient();
        await client.ConnectAsync();

        await client.SendGroupTextAsync("team", "hello", "c1");
        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < 5)
        {
            received.Add((await client.Messages.ReadAsync(timeout.Token)).Id);
        }

        Assert.Equal(["d1", "d2", "d3", "d4", "d5"], received);
        Assert.Equal(5, client.LastSeq);
    }
}
