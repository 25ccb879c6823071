using System.ComponentModel.DataAnnotations;
using IoNet.Solana.Keys;

namespace IoNet.Marketplace.Http;

/// <summary>A base58 Solana address (32 bytes).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class SolanaAddressAttribute : ValidationAttribute
{
    public SolanaAddressAttribute() : base("The {0} field must be a base58 Solana address (32 bytes).") { }

    public override bool IsValid(object? value) => value is null || (value is string text && PublicKey.TryParse(text, out _));
}
