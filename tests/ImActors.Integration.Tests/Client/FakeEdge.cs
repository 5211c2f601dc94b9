using System.Net;
using System.Net.Sockets;
using ImActors.Client;
using ImActors.Client.Transports;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Client;

/// <summary>
/// Just enough of an edge to script what a client sees, without a cluster: it welcomes every hello, answers the
/// catch-up after a welcome (syncs, the conversation list) with nothing, and hands every other frame but heartbeats
/// to the test.
/// </summary>
internal sealed class FakeEdge : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeEdgeConnection, Frame, Task> _onFrame;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public FakeEdge(Func<FakeEdgeConnection, Frame, Task> onFrame)
    {
        _onFrame = onFrame;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>A client of this edge that reconnects within milliseconds, so tests do not wait out real backoff.</summary>
    public ImClient NewClient() => new(new ImClientOptions
    {
        Servers = [Address],
        TokenProvider = _ => ValueTask.FromResult("token"),
        ResumeAfterSeq = 0,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(10),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(50),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var connection = new FakeEdgeConnection(TcpFrameTransport.Over(socket, int.MaxValue), Interlocked.Increment(ref _connections));
                connections.Add(ServeAsync(connection));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(FakeEdgeConnection connection)
    {
        await using var _ = connection;
        try
        {
            if ((await connection.ReceiveAsync(_stop.Token))?.Body is not HelloFrame)
            {
                return;
            }

            await connection.SendAsync(FrameKind.Welcome, new WelcomeFrame { Version = 1, User = "alice", HeartbeatMs = 60_000 });
            while (!connection.Closed && await connection.ReceiveAsync(_stop.Token) is { } frame)
            {
                switch (frame.Body)
                {
                    case SyncFrame sync:
                        await connection.SendAsync(FrameKind.SyncPage, new SyncPageFrame { Group = sync.Group, RequestId = sync.RequestId });
                        break;
                    case RequestFrame { Op: RequestOps.Conversations } list:
                        await connection.SendAsync(FrameKind.Result, new ResultFrame { RequestId = list.RequestId, Op = list.Op, Conversations = [] });
                        break;
                    case PingFrame or DeliveredFrame:
                        break;
                    default:
                        await _onFrame(connection, frame);
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // The client went away, the test closed the connection, or the edge is being disposed.
        }
    }
}

/// <summary>One client connection to a <see cref="FakeEdge"/>, numbered from 1 in the order they arrived.</summary>
internal sealed class FakeEdgeConnection(IFrameTransport transport, int number) : IAsyncDisposable
{
    private int _closed;

    public int Number { get; } = number;

    public bool Closed => Volatile.Read(ref _closed) == 1;

    public Task SendAsync<T>(FrameKind kind, T body) => transport.SendAsync(FrameEncoder.Encode(kind, body), CancellationToken.None).AsTask();

    public ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken) => transport.ReceiveAsync(cancellationToken);

    /// <summary>Drops the connection the way a crashed edge would: no closing frame.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _closed, 1) == 0 ? transport.DisposeAsync() : ValueTask.CompletedTask;
}
