using System.Security.Cryptography;
using System.Text;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Flows;

/// <summary>The Solana Pay reference keys of rentals and devices: sha256 of a fixed prefix and the id (docs/onchain.md).</summary>
public static class IoNetReferences
{
    public static PublicKey Rental(Guid rental) => Hash("ionet:v1:rental:" + IoNetMemo.Hex(rental));

    public static PublicKey Device(Guid device) => Hash("ionet:v1:device:" + IoNetMemo.Hex(device));

    private static PublicKey Hash(string text) => new(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
