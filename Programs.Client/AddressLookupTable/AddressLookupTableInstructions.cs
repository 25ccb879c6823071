using IoNet.Programs.Decoding;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.AddressLookupTable;

/// <summary>
/// Address Lookup Table program instructions (bincode: a u32 tag, then the fields little-endian), with the account
/// lists of solana-sdk / @solana/web3.js. A table is a PDA of the program from (authority, recent slot as u64 LE).
/// </summary>
public abstract record AddressLookupTableInstruction
{
    public static PublicKey ProgramId => WellKnownPrograms.AddressLookupTable;

    public string Name => GetType().Name;

    public abstract TransactionInstruction Build();

    /// <summary>The table address and bump for an authority and the recent slot it is created at.</summary>
    public static (PublicKey Address, byte Bump) FindAddress(PublicKey authority, ulong recentSlot)
    {
        var slot = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(slot, recentSlot);
        return ProgramAddress.Find([authority.ToArray(), slot], ProgramId);
    }

    public static AddressLookupTableInstruction Decode(IReadOnlyList<AccountMeta> accounts, ReadOnlySpan<byte> data)
    {
        var r = new InstructionReader(data, "AddressLookupTable");
        var tag = r.U32();
        PublicKey At(int i) => i < accounts.Count ? accounts[i].PublicKey : throw new ProgramDecodeException($"AddressLookupTable instruction {tag}: needs {i + 1} accounts.");
        switch (tag)
        {
            case 0:
                return new CreateLookupTable(At(0), At(1), At(2), r.U64(), r.U8());
            case 1:
                return new FreezeLookupTable(At(0), At(1));
            case 2:
            {
                var count = r.U64();
                if (count > (ulong)r.Remaining / 32)
                    throw new ProgramDecodeException($"ExtendLookupTable: {count} addresses do not fit in the data.");
                var addresses = new PublicKey[count];
                for (var i = 0; i < addresses.Length; i++)
                    addresses[i] = r.Key();
                return new ExtendLookupTable(At(0), At(1), accounts.Count > 2 ? At(2) : null, addresses);
            }
            case 3:
                return new DeactivateLookupTable(At(0), At(1));
            case 4:
                return new CloseLookupTable(At(0), At(1), At(2));
            default:
                throw new ProgramDecodeException($"AddressLookupTable instruction {tag} is not known.");
        }
    }

    private protected static TransactionInstruction Make(InstructionWriter data, params AccountMeta[] accounts) =>
        new(ProgramId, accounts, data.ToArray());
}

/// <summary>Creates the table at the PDA of (authority, recent slot); the payer funds its rent.</summary>
public sealed record CreateLookupTable(PublicKey Table, PublicKey Authority, PublicKey Payer, ulong RecentSlot, byte Bump) : AddressLookupTableInstruction
{
    /// <summary>The instruction for a new table of <paramref name="authority"/> at <paramref name="recentSlot"/> (a slot the node still lists in SlotHashes).</summary>
    public static CreateLookupTable For(PublicKey authority, PublicKey payer, ulong recentSlot)
    {
        var (table, bump) = FindAddress(authority, recentSlot);
        return new CreateLookupTable(table, authority, payer, recentSlot, bump);
    }

    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(0).U64(RecentSlot).U8(Bump),
            AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true), AccountMeta.Writable(Payer, isSigner: true),
            AccountMeta.ReadOnly(WellKnownPrograms.System));
}

public sealed record FreezeLookupTable(PublicKey Table, PublicKey Authority) : AddressLookupTableInstruction
{
    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(1), AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true));
}

/// <summary>Appends addresses; with a payer the program tops up the rent the larger account needs.</summary>
public sealed record ExtendLookupTable(PublicKey Table, PublicKey Authority, PublicKey? Payer, IReadOnlyList<PublicKey> Addresses) : AddressLookupTableInstruction
{
    public override TransactionInstruction Build()
    {
        var data = new InstructionWriter().U32(2).U64((ulong)Addresses.Count);
        foreach (var address in Addresses)
            data.Key(address);
        return Payer is { } payer
            ? Make(data, AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true), AccountMeta.Writable(payer, isSigner: true), AccountMeta.ReadOnly(WellKnownPrograms.System))
            : Make(data, AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true));
    }

    public bool Equals(ExtendLookupTable? other) =>
        other is not null && Table == other.Table && Authority == other.Authority && Payer == other.Payer && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Table, Authority, Addresses.Count);
}

public sealed record DeactivateLookupTable(PublicKey Table, PublicKey Authority) : AddressLookupTableInstruction
{
    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(3), AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true));
}

/// <summary>Closes a deactivated table (after its cool-down) and sends its lamports to the recipient.</summary>
public sealed record CloseLookupTable(PublicKey Table, PublicKey Authority, PublicKey Recipient) : AddressLookupTableInstruction
{
    public override TransactionInstruction Build() =>
        Make(new InstructionWriter().U32(4), AccountMeta.Writable(Table), AccountMeta.ReadOnly(Authority, isSigner: true), AccountMeta.Writable(Recipient));
}
