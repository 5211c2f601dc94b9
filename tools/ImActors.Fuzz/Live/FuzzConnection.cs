using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ImActors.Client;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Fuzz.Live;

/// <summary>
/// One TCP connection to an edge that writes bytes as given (bad prefixes included) and reads the edge's frames.
/// On loopback it binds a source address of its own (127.0.0.2-251), so a run's reconnects are not one address's
/// connection rate.
/// </summary>
internal sealed class FuzzConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;

    private FuzzConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    public static async Task<FuzzConnection> OpenAsync(Uri edge, int sourceIndex, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var host = (await Dns.GetHostAddressesAsync(edge.Host, cancel)).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (IPAddress.IsLoopback(host))
            {
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + sourceIndex % 250)]), 0));
            }

            await socket.ConnectAsync(host, edge.Port, cancel);
            return new FuzzConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection and signs in as <paramref name="user"/>; null when the edge did not welcome it.</summary>
    public static async Task<FuzzConnection?> SignInAsync(Uri edge, int sourceIndex, string user, string secret, CancellationToken cancel)
    {
        var connection = await OpenAsync(edge, sourceIndex, cancel);
        var token = TokenIssuer.Issue(user, secret, TimeSpan.FromHours(1));
        await connection.WriteAsync(FrameEncoder.Encode(FrameKind.Hello, new HelloFrame { Token = token, Device = "fuzz", Versions = [1] }), cancel);
        if (await connection.ReadAsync(TimeSpan.FromSeconds(10), cancel) is { Body: WelcomeFrame })
        {
            return connection;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken cancel)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancel);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Closed = true;
        }
    }

    /// <summary>The next frame; null when none came within <paramref name="wait"/> or the edge closed the connection (then <see cref="Closed"/>).</summary>
    public async Task<Frame?> ReadAsync(TimeSpan wait, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(wait);
        try
        {
            var frame = await _reader.ReadFrameAsync(int.MaxValue, timeout.Token);
            Closed |= frame is null;
            return frame;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or SocketException or ImActors.Protocol.Framing.ProtocolViolationException)
        {
            Closed = true;
            return null;
        }
    }

    /// <summary>Whether the edge has ended the connection (or a write to it failed).</summary>
    public bool Closed { get; private set; }

    /// <summary>Reads the edge's answers until it is quiet for <paramref name="quiet"/> or closes the connection.</summary>
    public async Task<List<Frame>> DrainAsync(TimeSpan quiet, CancellationToken cancel)
    {
        var frames = new List<Frame>();
        while (!Closed && await ReadAsync(quiet, cancel) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
