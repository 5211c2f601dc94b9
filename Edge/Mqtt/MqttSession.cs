using ImActors.Protocol.Frames;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// One MQTT connection's state, shared by the packet reader (<see cref="MqttInbound"/>) and the session output's
/// translator (<see cref="MqttOutbound"/>): the sends waiting for their ACK, the subscriptions, the QoS 1 publishes
/// waiting for their PUBACK and the inbox cursor they move. Every member takes the one lock; none waits inside it.
/// </summary>
internal sealed class MqttSession
{
    /// <summary>QoS 1 publishes a client may leave unacknowledged before it is taken for one that stopped reading.</summary>
    public const int MaxInFlight = 4096;

    private readonly object _lock = new();
    // Client sends by their cmid: the packet id to PUBACK (0: QoS 0, nothing to answer).
    private readonly Dictionary<string, ushort> _sends = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, string> _sendsByPacket = [];
    // Server publishes waiting for a PUBACK: the inbox seq they carry, or -1 for a group message.
    private readonly Dictionary<ushort, long> _inFlight = [];
    private readonly SortedSet<long> _unackedInbox = [];
    private readonly Dictionary<string, byte> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, (byte[] Results, int Waiting)> _subAcks = [];
    private List<MessageFrame>? _heldDuringResume;
    private ushort _lastPacketId;
    private long _lastPublishedInboxSeq;
    private long _savedCursor = -1;
    private long _reportedCursor = -1;

    public MqttSession(ConnectPacket connect) => Connect = connect;

    public ConnectPacket Connect { get; }

    /// <summary>The user, once the session core welcomed the connection; set before <see cref="Welcomed"/> completes.</summary>
    public string? User { get; private set; }

    /// <summary>Completes with the welcome; cancelled when the CONNECT was refused.</summary>
    public TaskCompletionSource Welcomed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where the inbox resumes when it is subscribed: the saved cursor, or the inbox's end at the welcome.</summary>
    public long ResumeAfter { get; private set; }

    /// <summary>QoS of the inbox subscription; null while the inbox is not subscribed.</summary>
    public byte? InboxQoS { get; private set; }

    /// <summary>When the cursor was last saved (<see cref="Environment.TickCount64"/>); only the packet reader touches it.</summary>
    public long SavedAtMs { get; set; }

    public bool Resuming => _heldDuringResume is not null;

    public void Welcome(string user, long resumeAfter)
    {
        lock (_lock)
        {
            User = user;
            ResumeAfter = resumeAfter;
            _lastPublishedInboxSeq = resumeAfter;
            _savedCursor = resumeAfter;
            _reportedCursor = resumeAfter;
        }

        Welcomed.TrySetResult();
    }

    // ---- client sends ----

    public void SendStarted(string cmid, ushort packetId)
    {
        lock (_lock)
        {
            _sends[cmid] = packetId;
            if (packetId != 0)
            {
                _sendsByPacket[packetId] = cmid;
            }
        }
    }

    /// <summary>A QoS 1 PUBLISH sent again with DUP while the first is still being stored: it is answered by the first's PUBACK.</summary>
    public bool IsSendPending(ushort packetId)
    {
        lock (_lock)
        {
            return _sendsByPacket.ContainsKey(packetId);
        }
    }

    /// <summary>The send's answer arrived: the packet id to PUBACK (0 for none), or null for a cmid this connection did not send.</summary>
    public ushort? SendEnded(string cmid)
    {
        lock (_lock)
        {
            if (!_sends.Remove(cmid, out var packetId))
            {
                return null;
            }

            if (packetId != 0 && _sendsByPacket.TryGetValue(packetId, out var current) && current == cmid)
            {
                _sendsByPacket.Remove(packetId);
            }

            return packetId;
        }
    }

    // ---- subscriptions ----

    /// <summary>Subscribes the inbox; true when it was not subscribed before, so the resume starts now.</summary>
    public bool SubscribeInbox(byte qos)
    {
        lock (_lock)
        {
            var first = InboxQoS is null;
            InboxQoS = qos;
            if (first)
            {
                _heldDuringResume = [];
            }

            return first;
        }
    }

    public void Unsubscribe(string filter)
    {
        lock (_lock)
        {
            if (User is not null && filter == MqttTopics.InboxOf(User))
            {
                InboxQoS = null;
                _heldDuringResume = null;
            }
            else if (MqttTopics.GroupOf(filter) is { } group)
            {
                _groups.Remove(group);
            }
        }
    }

    /// <summary>The QoS a group's messages go out with; null when the group is not subscribed.</summary>
    public byte? GroupQoS(string group)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(group, out var qos) ? qos : null;
        }
    }

    public void SubAckWaits(ushort packetId, byte[] results, int waiting)
    {
        lock (_lock)
        {
            _subAcks[packetId] = (results, waiting);
        }
    }

    /// <summary>
    /// One group check of a SUBSCRIBE answered: the group subscribed with the QoS put down for it, or refused. The
    /// SUBACK's results once every check is answered.
    /// </summary>
    public byte[]? SubAckAnswered(ushort packetId, int index, string? grantedGroup)
    {
        lock (_lock)
        {
            if (!_subAcks.TryGetValue(packetId, out var pending) || index >= pending.Results.Length)
            {
                return null;
            }

            if (grantedGroup is null)
            {
                pending.Results[index] = 0x80;
            }
            else
            {
                _groups[grantedGroup] = pending.Results[index];
            }

            if (--pending.Waiting > 0)
            {
                _subAcks[packetId] = pending;
                return null;
            }

            _subAcks.Remove(packetId);
            return pending.Results;
        }
    }

    // ---- server publishes ----

    /// <summary>Whether an inbox entry goes out now: false for one already published, or held while the resume runs.</summary>
    public bool TakeInbox(MessageFrame message, bool fromResume)
    {
        lock (_lock)
        {
            if (InboxQoS is null || message.Seq <= _lastPublishedInboxSeq)
            {
                return false;
            }

            if (!fromResume && _heldDuringResume is { } held)
            {
                held.Add(message);
                return false;
            }

            _lastPublishedInboxSeq = message.Seq;
            return true;
        }
    }

    /// <summary>The resume reached the inbox's end: the pushes held meanwhile, in seq order.</summary>
    public List<MessageFrame> ResumeEnded()
    {
        lock (_lock)
        {
            var held = _heldDuringResume ?? [];
            _heldDuringResume = null;
            held.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            return held;
        }
    }

    /// <summary>A packet id for a QoS 1 publish; null when <see cref="MaxInFlight"/> are unacknowledged.</summary>
    public ushort? InFlight(long inboxSeq)
    {
        lock (_lock)
        {
            if (_inFlight.Count >= MaxInFlight)
            {
                return null;
            }

            do
            {
                _lastPacketId = (ushort)(_lastPacketId == ushort.MaxValue ? 1 : _lastPacketId + 1);
            }
            while (_inFlight.ContainsKey(_lastPacketId));

            _inFlight[_lastPacketId] = inboxSeq;
            if (inboxSeq >= 0)
            {
                _unackedInbox.Add(inboxSeq);
            }

            return _lastPacketId;
        }
    }

    /// <summary>
    /// A PUBACK: the new inbox cursor (every inbox publish up to it acknowledged) when it moved, else null. A QoS 0
    /// subscription's publishes count as acknowledged once written.
    /// </summary>
    public long? Acknowledged(ushort packetId)
    {
        lock (_lock)
        {
            if (!_inFlight.Remove(packetId, out var seq) || seq < 0)
            {
                return null;
            }

            _unackedInbox.Remove(seq);
            return MoveCursor();
        }
    }

    /// <summary>The cursor to save, when it moved since the last save.</summary>
    public long? CursorToSave()
    {
        lock (_lock)
        {
            var cursor = Cursor();
            if (cursor <= _savedCursor)
            {
                return null;
            }

            _savedCursor = cursor;
            return cursor;
        }
    }

    private long? MoveCursor()
    {
        var cursor = Cursor();
        if (cursor <= _reportedCursor)
        {
            return null;
        }

        _reportedCursor = cursor;
        return cursor;
    }

    private long Cursor() => _unackedInbox.Count > 0 ? _unackedInbox.Min - 1 : _lastPublishedInboxSeq;
}
