using IoNet.Programs.Decoding;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.AddressLookupTable;

/// <summary>
/// A lookup table account's data: a 56-byte header (u32 type 1, deactivation slot, last extended slot, its start
/// index, an optional authority, two bytes of padding) followed by the addresses, 32 bytes each.
/// </summary>
public sealed record AddressLookupTableState(
    ulong DeactivationSlot, ulong LastExtendedSlot, byte LastExtendedSlotStartIndex, PublicKey? Authority, IReadOnlyList<PublicKey> Addresses)
{
    public const int HeaderSize = 56;

    /// <summary>A table that was never deactivated has u64::MAX here.</summary>
    public bool IsActive => DeactivationSlot == ulong.MaxValue;

    public static AddressLookupTableState Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
            throw new ProgramDecodeException($"A lookup table account is at least {HeaderSize} bytes, not {data.Length}.");
        if ((data.Length - HeaderSize) % PublicKey.Length != 0)
            throw new ProgramDecodeException($"A lookup table's addresses are 32 bytes each; {data.Length - HeaderSize} bytes follow the header.");
        var r = new InstructionReader(data, "AddressLookupTable account");
        var type = r.U32();
        if (type != 1)
            throw new ProgramDecodeException($"Not an initialized lookup table (type {type}).");
        var deactivation = r.U64();
        var lastExtended = r.U64();
        var startIndex = r.U8();
        var authority = r.OptionalKey();
        var addresses = new PublicKey[(data.Length - HeaderSize) / PublicKey.Length];
        for (var i = 0; i < addresses.Length; i++)
            addresses[i] = new PublicKey(data.Slice(HeaderSize + i * PublicKey.Length, PublicKey.Length));
        return new AddressLookupTableState(deactivation, lastExtended, startIndex, authority, addresses);
    }

    /// <summary>What a v0 compile needs (<see cref="MessageCompiler.CompileV0"/>).</summary>
    public AddressLookupTableAccount ToAccount(PublicKey key) => new(key, Addresses);

    public bool Equals(AddressLookupTableState? other) =>
        other is not null && DeactivationSlot == other.DeactivationSlot && LastExtendedSlot == other.LastExtendedSlot
        && LastExtendedSlotStartIndex == other.LastExtendedSlotStartIndex && Authority == other.Authority && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(DeactivationSlot, LastExtendedSlot, Addresses.Count);
}
