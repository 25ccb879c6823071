using System.Runtime.CompilerServices;

namespace IoNet.Solana.Keys;

/// <summary>32 bytes held inline (no heap array), for keys and hashes.</summary>
[InlineArray(32)]
internal struct Bytes32
{
    private byte _element0;
}

/// <summary>64 bytes held inline, for signatures.</summary>
[InlineArray(64)]
internal struct Bytes64
{
    private byte _element0;
}
