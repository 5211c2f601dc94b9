using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Protocol.Tests;

/// <summary>The frame limit holds every frame the protocol's other documented limits allow.</summary>
public sealed class FrameLimitTests
{
    [Fact]
    public void GroupChangeNamingTheMostMembersOfTheLongestIds_FitsTheDefaultFrameLimit()
    {
        // docs/protocol.md, Limits: ids of 1-64 characters, a rid of 1-128, at most 1000 members in one change.
        var request = new RequestFrame
        {
            RequestId = new string('r', 128),
            Op = RequestOps.GroupCreate,
            Group = new string('g', 64),
            Members = Enumerable.Range(0, 1000).Select(i => new string('m', 60) + i.ToString("D4")).ToArray(),
            Open = true,
        };

        var payload = FrameEncoder.Encode(FrameKind.Request, request).Length - FrameReader.PrefixLength;

        Assert.True(payload <= ProtocolDefaults.MaxFrameBytes, $"{payload} bytes against a maximum of {ProtocolDefaults.MaxFrameBytes}");
    }
}
