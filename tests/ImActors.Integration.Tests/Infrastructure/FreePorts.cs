using System.Net;
using System.Net.Sockets;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// Ports for servers the tests start. Taken below the kernel's ephemeral range (32768 and up on Linux), as
/// scripts/cluster.sh does: a port the kernel hands out for "any free port" is soon the source port of some outgoing
/// connection, and then the server that was meant to bind it fails with "address in use". Never the same port twice
/// in one test run, and only one that binds now.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Count = 12_000;
    private static readonly HashSet<int> s_given = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = First + Random.Shared.Next(Count);
            lock (s_given)
            {
                if (!s_given.Add(port))
                {
                    continue;
                }
            }

            if (Binds(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free port found in {First}-{First + Count - 1}");
    }

    private static bool Binds(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
