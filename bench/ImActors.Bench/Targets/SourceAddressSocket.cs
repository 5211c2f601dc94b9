using System.Net;
using System.Net.Sockets;

namespace ImActors.Bench.Targets;

/// <summary>
/// Opens a TCP socket from a chosen loopback source address. One source/destination pair has only ~28k
/// ephemeral ports, so connection benchmarks spread clients over 127.0.0.x.
/// </summary>
public static class SourceAddressSocket
{
    // IP_BIND_ADDRESS_NO_PORT (Linux): bind the address now but pick the port at connect time, from the
    // ports free for this particular destination, instead of reserving one globally at bind time.
    private const int IpBindAddressNoPort = 24;

    public static async Task<Socket> ConnectAsync(EndPoint server, IPAddress? source, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                if (OperatingSystem.IsLinux())
                {
                    socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
                }

                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>127.0.0.(2 + i): source number i of a run. 127.0.0.1 is left to everything else on the machine.</summary>
    public static IPAddress Loopback(int index) => new([127, 0, (byte)(index / 250), (byte)(2 + index % 250)]);
}
