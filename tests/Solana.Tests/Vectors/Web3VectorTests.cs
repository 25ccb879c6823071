using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;

namespace IoNet.Solana.Tests.Vectors;

/// <summary>
/// Byte-for-byte agreement with @solana/web3.js 1.98.4 (issue 3, acceptance 2): web3-transactions.json holds 250
/// transactions it compiled, signed and serialized from fixed seeds (localnet/scripts/web3-vectors.mjs).
/// </summary>
public sealed class Web3VectorTests
{
    private static IReadOnlyList<Web3Case> Cases => Web3Vectors.All;

    [Fact]
    public void the_vectors_cover_legacy_v0_lookups_one_to_four_signers_and_partial_signing()
    {
        Cases.Count.ShouldBeGreaterThanOrEqualTo(240);
        Cases.Count(c => !c.IsV0).ShouldBeGreaterThan(50);
        Cases.Count(c => c.IsV0 && c.LookupTables.Length > 1).ShouldBeGreaterThan(30);
        Cases.Count(c => c.IsV0 && Transaction.Deserialize(c.Transaction).Message.AddressTableLookups.Count > 0).ShouldBeGreaterThan(50);
        Cases.Count(c => c.Partial).ShouldBeGreaterThan(5);
        Cases.Select(c => c.SignerSeeds.Length).Distinct().Order().ShouldBe([1, 2, 3, 4]);
        Cases.Max(c => c.Instructions.Length).ShouldBe(10);
        Cases.Min(c => c.Instructions.Length).ShouldBe(1);
    }

    [Fact]
    public void every_web3js_case_compiles_to_identical_message_bytes_with_first_seen_ordering()
    {
        var failures = Cases
            .Where(c => !c.Compile(KeyOrdering.FirstSeen).Bytes.SequenceEqual(c.Message))
            .Select(c => c.Name).ToList();
        failures.ShouldBeEmpty();
    }

    [Fact]
    public void signing_with_the_seeds_gives_web3js_signatures_and_transaction_bytes()
    {
        foreach (var c in Cases)
        {
            var signers = c.Signers();
            var transaction = new Transaction(c.Compile(KeyOrdering.FirstSeen));
            if (c.Partial)
                transaction.PartialSign([.. c.SignedBy.Select(i => signers[i])]);
            else
                transaction.Sign(signers);
            transaction.Signatures.ShouldBe(c.Signatures, c.Name);
            transaction.Serialize(requireAllSignatures: !c.Partial).ShouldBe(c.Transaction, c.Name);
            transaction.IsFullySigned.ShouldBe(!c.Partial, c.Name);
            foreach (var s in signers)
                s.Dispose();
        }
    }

    [Fact]
    public void every_web3js_transaction_parses_to_the_same_structure_and_reserializes_identically()
    {
        foreach (var c in Cases)
        {
            var parsed = Transaction.Deserialize(c.Transaction);
            var compiled = c.Compile(KeyOrdering.FirstSeen);
            var message = parsed.Message;
            message.Version.ShouldBe(c.IsV0 ? MessageVersion.V0 : MessageVersion.Legacy, c.Name);
            message.Header.ShouldBe(compiled.Header, c.Name);
            message.AccountKeys.ShouldBe(compiled.AccountKeys, c.Name);
            message.RecentBlockhash.ShouldBe(c.RecentBlockhash, c.Name);
            message.FeePayer.ShouldBe(c.Payer, c.Name);
            message.Instructions.ShouldBe(compiled.Instructions, c.Name);
            message.AddressTableLookups.ShouldBe(compiled.AddressTableLookups, c.Name);
            message.Serialize().ShouldBe(c.Message, c.Name);
            parsed.Signatures.ShouldBe(c.Signatures, c.Name);
            parsed.Serialize(requireAllSignatures: false).ShouldBe(c.Transaction, c.Name);
            Transaction.FromBase64(Convert.ToBase64String(c.Transaction)).Serialize(requireAllSignatures: false).ShouldBe(c.Transaction, c.Name);
            parsed.VerifySignatures().ShouldBe(!c.Partial, c.Name);

            // A fresh message from the parsed parts writes the same bytes (the parse kept nothing but the structure).
            var rebuilt = new Message(message.Version, message.Header, [.. message.AccountKeys], message.RecentBlockhash,
                [.. message.Instructions], [.. message.AddressTableLookups]);
            rebuilt.Serialize().ShouldBe(c.Message, c.Name);
        }
    }

    [Fact]
    public void partially_signed_web3js_transactions_verify_exactly_their_signed_slots()
    {
        foreach (var c in Cases.Where(c => c.Partial))
        {
            var parsed = Transaction.Deserialize(c.Transaction);
            var signers = c.Signers();
            var signedKeys = c.SignedBy.Select(i => signers[i].PublicKey).ToHashSet();
            for (var slot = 0; slot < parsed.Signatures.Count; slot++)
            {
                var key = parsed.Message.AccountKeys[slot];
                parsed.Signatures[slot].IsEmpty.ShouldBe(!signedKeys.Contains(key), c.Name);
                Keypair.Verify(key, parsed.Message.Bytes, parsed.Signatures[slot]).ShouldBe(signedKeys.Contains(key), c.Name);
            }
            Should.Throw<SolanaException>(() => parsed.Serialize()).Message.ShouldContain("not fully signed");

            // Completing it with the missing signers gives a fully signed, verifying transaction.
            parsed.PartialSign([.. signers.Where(s => !signedKeys.Contains(s.PublicKey))]);
            parsed.IsFullySigned.ShouldBeTrue(c.Name);
            parsed.VerifySignatures().ShouldBeTrue(c.Name);
            foreach (var s in signers)
                s.Dispose();
        }
    }

    [Fact]
    public void partial_signing_one_signer_at_a_time_in_any_order_gives_the_same_bytes()
    {
        var random = new Random(3);
        foreach (var c in Cases.Where(c => c.SignedBy.Length > 1))
        {
            var signers = c.Signers();
            var transaction = new Transaction(Message.Deserialize(c.Message));
            foreach (var i in c.SignedBy.OrderBy(_ => random.Next()))
                transaction.PartialSign(signers[i]);
            transaction.Serialize(requireAllSignatures: false).ShouldBe(c.Transaction, c.Name);

            var reversed = new Transaction(c.Compile(KeyOrdering.FirstSeen));
            foreach (var i in c.SignedBy.Reverse())
                reversed.AddSignature(signers[i].PublicKey, signers[i].Sign(c.Message));
            reversed.Serialize(requireAllSignatures: false).ShouldBe(c.Transaction, c.Name);
            foreach (var s in signers)
                s.Dispose();
        }
    }

    [Fact]
    public void every_web3js_instruction_decompiles_to_its_program_accounts_with_merged_flags_and_data()
    {
        foreach (var c in Cases)
        {
            var message = Message.Deserialize(c.Message);
            Decompiled.Instructions(message, c.LookupTables).ShouldBe(Expected(c), c.Name);
        }
    }

    [Fact]
    public void with_solana_sdk_ordering_every_case_compiles_to_an_equivalent_message()
    {
        foreach (var c in Cases)
        {
            var web3 = Message.Deserialize(c.Message);
            var sdk = c.Compile(KeyOrdering.SolanaSdk);
            sdk.Version.ShouldBe(web3.Version, c.Name);
            sdk.Header.ShouldBe(web3.Header, c.Name);
            sdk.FeePayer.ShouldBe(web3.FeePayer, c.Name);
            sdk.RecentBlockhash.ShouldBe(web3.RecentBlockhash, c.Name);
            var (sdkGroups, web3Groups) = (Decompiled.Groups(sdk), Decompiled.Groups(web3));
            for (var g = 0; g < 4; g++)
                sdkGroups[g].SetEquals(web3Groups[g]).ShouldBeTrue($"{c.Name} group {g}");
            var (sdkLoaded, web3Loaded) = (Decompiled.Loaded(sdk, c.LookupTables), Decompiled.Loaded(web3, c.LookupTables));
            sdkLoaded.Keys.ShouldBe(web3Loaded.Keys, ignoreOrder: true, c.Name);
            foreach (var (table, (writable, readOnly)) in web3Loaded)
            {
                sdkLoaded[table].Writable.SetEquals(writable).ShouldBeTrue($"{c.Name} table {table} writable");
                sdkLoaded[table].ReadOnly.SetEquals(readOnly).ShouldBeTrue($"{c.Name} table {table} read-only");
            }
            Decompiled.Instructions(sdk, c.LookupTables).ShouldBe(Decompiled.Instructions(web3, c.LookupTables), c.Name);
            sdk.SerializedLength.ShouldBe(web3.SerializedLength, c.Name);
        }
    }

    /// <summary>What each instruction must decompile to: its own keys, each with the flags merged over the whole message.</summary>
    private static Decompiled.Instruction[] Expected(Web3Case c)
    {
        var signer = new HashSet<PublicKey> { c.Payer };
        var writable = new HashSet<PublicKey> { c.Payer };
        foreach (var meta in c.Instructions.SelectMany(i => i.Accounts))
        {
            if (meta.IsSigner) signer.Add(meta.PublicKey);
            if (meta.IsWritable) writable.Add(meta.PublicKey);
        }
        return [.. c.Instructions.Select(i => new Decompiled.Instruction(
            i.ProgramId,
            [.. i.Accounts.Select(a => new Decompiled.Meta(a.PublicKey, signer.Contains(a.PublicKey), writable.Contains(a.PublicKey)))],
            i.Data.ToArray()))];
    }
}
