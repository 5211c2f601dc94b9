using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ImActors.Bench.Load;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ImActors.Bench.Targets;

/// <summary>
/// The SignalR peer (bench/peers/SignalRPeer) over WebSockets with the MessagePack hub protocol.
/// <paramref name="perUserGroup"/> picks how a 1:1 message finds its recipient: <c>Clients.User</c> (false)
/// or a group per user (true).
/// </summary>
public sealed class SignalRTarget(IReadOnlyList<IPEndPoint> servers, bool perUserGroup) : IBenchTarget
{
    public string Name => perUserGroup ? "signalr-group" : "signalr-user";

    public bool Durable => false;

    public string? GroupsMissingReason => null;

    public async Task<IBenchConnection> ConnectAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken)
    {
        var server = servers[serverIndex % servers.Count];
        var hub = new HubConnectionBuilder()
            .WithUrl($"http://{server}/hub?user={Uri.EscapeDataString(user)}", o =>
            {
                // Straight to the WebSocket, as a production client that knows its server does.
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (source is not null)
                {
                    o.WebSocketFactory = (context, ct) => ConnectFromAsync(context.Uri, source, ct);
                }
            })
            .AddMessagePackProtocol()
            .Build();
        hub.ServerTimeout = TimeSpan.FromMinutes(5);
        hub.On<byte[]>("m", body => counters.OnDelivered(body));
        await hub.StartAsync(cancellationToken);
        return new SignalRConnection(hub, user, perUserGroup ? "ToUserGroup" : "ToUser", counters);
    }

    private static async ValueTask<WebSocket> ConnectFromAsync(Uri uri, IPAddress source, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = await SourceAddressSocket.ConnectAsync(await ResolveAsync(context.DnsEndPoint, ct), source, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, new HttpMessageInvoker(handler), cancellationToken);
        return socket;
    }

    private static async Task<EndPoint> ResolveAsync(DnsEndPoint endPoint, CancellationToken cancellationToken) =>
        IPAddress.TryParse(endPoint.Host, out var ip)
            ? new IPEndPoint(ip, endPoint.Port)
            : new IPEndPoint((await Dns.GetHostAddressesAsync(endPoint.Host, AddressFamily.InterNetwork, cancellationToken))[0], endPoint.Port);
}

internal sealed class SignalRConnection(HubConnection hub, string user, string directMethod, LoadCounters counters) : IBenchConnection
{
    public string User => user;

    public void SendDirect(string to, byte[] body) => Track(hub.InvokeAsync(directMethod, to, body), body);

    public void SendGroup(string group, byte[] body) => Track(hub.InvokeAsync("ToGroup", group, body), body);

    public Task JoinGroupAsync(string group, IReadOnlyList<string> members, bool creator, CancellationToken cancellationToken) =>
        hub.InvokeAsync("Join", group, cancellationToken);

    // SignalR pings the server on its own (KeepAliveInterval).
    public void Heartbeat()
    {
    }

    public ValueTask DisposeAsync() => hub.DisposeAsync();

    private void Track(Task invocation, byte[] body)
    {
        // An invocation completes when the hub method returned: SignalR's nearest thing to an ACK.
        counters.OnSent();
        var due = MessageStamp.TryRead(body, out var scheduled, out var measured) && measured ? scheduled : 0;
        invocation.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    counters.OnAcked(due);
                }
                else
                {
                    counters.OnError(t.Exception?.GetBaseException().Message ?? "invocation cancelled");
                }
            },
            TaskContinuationOptions.ExecuteSynchronously);
    }
}
