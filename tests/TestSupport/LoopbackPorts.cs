using System.Net;
using System.Net.Sockets;

namespace IoNet.TestSupport;

/// <summary>Free ports on 127.0.0.1 for the real servers tests start (free now; a bind may still lose a race).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port P with P and P + 1 both free (a JSON-RPC port and its websocket, as a Solana node serves them).</summary>
    public static int FreePair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65535)
                continue;
            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free pair of loopback ports.");
    }
}
