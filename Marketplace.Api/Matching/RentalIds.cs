using UUIDNext;

namespace IoNet.Marketplace.Matching;

/// <summary>
/// The id of the rental a bid's fill creates: a UUIDv5 of the bid id, so a caller knows it from the bid id alone
/// (a bid fills at most once) and a rebuilt book names it the same.
/// </summary>
public static class RentalIds
{
    /// <summary>The namespace of rental ids (a fixed random UUID; never change it).</summary>
    public static readonly Guid Namespace = new("5d7c1e8a-2f4b-4c3e-9a61-0e8b3f7d2c55");

    public static Guid ForBid(Guid bidId) => Uuid.NewNameBased(Namespace, bidId.ToString("N"));
}
