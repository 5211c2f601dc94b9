using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Users;

namespace ImActors.Integration.Tests.Conversations;

/// <summary>The 1:1 rights alone, no cluster: who may recall a message of an inbox, and which messages a conversation holds.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class DirectRulesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(2);
    private static readonly StoredMessage AnnToBob = new("m1", 7, "ann", "bob", 1_000, "text/plain", []);

    [Fact]
    public void TheSender_RecallsTheirOwnCopy_WithinTheWindow()
    {
        DirectRules.RequireRecallRight("ann", "bob", AnnToBob, 1_000 + (long)Window.TotalMilliseconds, Window);

        Assert.Equal(Refusal.RecallWindowPassed, Refused(() =>
            DirectRules.RequireRecallRight("ann", "bob", AnnToBob, 1_001 + (long)Window.TotalMilliseconds, Window)));
    }

    [Fact]
    public void TheRecipient_IsRefused_AndAnotherConversationsSeq_IsNotFound()
    {
        Assert.Equal(Refusal.Forbidden, Refused(() => DirectRules.RequireRecallRight("bob", "ann", AnnToBob, 1_000, Window)));
        Assert.Equal(Refusal.NotFound, Refused(() => DirectRules.RequireRecallRight("ann", "cat", AnnToBob, 1_000, Window)));
        Assert.Equal(Refusal.NotFound, Refused(() =>
            DirectRules.RequireRecallRight("ann", "bob", AnnToBob with { ContentType = SystemContentTypes.Recall }, 1_000, Window)));
    }

    [Fact]
    public void A_Conversation_HoldsTheMessagesBothWays_AndNoOthers()
    {
        DirectRules.RequireInConversation("ann", "bob", AnnToBob);
        DirectRules.RequireInConversation("bob", "ann", AnnToBob);

        Assert.Equal(Refusal.NotFound, Refused(() => DirectRules.RequireInConversation("bob", "cat", AnnToBob)));
    }

    private static Refusal Refused(Action check) => Assert.Throws<RefusedException>(check).Reason;
}
