using System.ComponentModel.DataAnnotations;
using IoNet.Ledger.Devices;

namespace IoNet.Marketplace.Devices;

public sealed record RegisterDeviceRequest
{
    /// <summary>A GPU model id of GET /api/hardware; leave it out (and GpuCount 0) for a CPU-only device.</summary>
    [StringLength(40, MinimumLength = 1)]
    public string? GpuModel { get; init; }

    [Range(0, 16)]
    public int GpuCount { get; init; }

    /// <summary>A CPU class id of GET /api/hardware.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string? CpuClass { get; init; }

    [Required, Range(1, 65536)]
    public int? RamGiB { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code, upper case (DE, US, JP).</summary>
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "The Country field must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE.")]
    public string? Country { get; init; }

    [Required, StringLength(100, MinimumLength = 1), RegularExpression(@"^[^\p{C}]+$", ErrorMessage = "The City field must not contain control characters.")]
    public string? City { get; init; }

    [Required]
    public ConnectivityTier? Connectivity { get; init; }

    [Required]
    public SecurityTier? Security { get; init; }

    /// <summary>Field errors the annotations cannot see: the catalogue and the GPU model/count pairing.</summary>
    public Dictionary<string, string[]> CatalogueErrors(HardwareCatalogue catalogue)
    {
        var errors = new Dictionary<string, string[]>();
        if (GpuModel is not null && catalogue.Gpu(GpuModel) is null)
            errors["GpuModel"] = [$"'{GpuModel}' is not a GPU model of the catalogue (GET /api/hardware)."];
        if (GpuModel is not null && GpuCount == 0)
            errors["GpuCount"] = ["A device with a GPU model has at least one GPU."];
        if (GpuModel is null && GpuCount != 0)
            errors["GpuModel"] = ["Name the GPU model of the device's GPUs (or send gpuCount 0 for a CPU-only device)."];
        if (CpuClass is not null && catalogue.Cpu(CpuClass) is null)
            errors["CpuClass"] = [$"'{CpuClass}' is not a CPU class of the catalogue (GET /api/hardware)."];
        return errors;
    }
}

public sealed record SetEligibilityRequest
{
    /// <summary>Why (shown to the owner); e.g. "checked by hand".</summary>
    [StringLength(200), RegularExpression(@"^[^\p{C}]*$", ErrorMessage = "The Reason field must not contain control characters.")]
    public string? Reason { get; init; }
}

public sealed record ChangeStatusRequest
{
    [Required]
    public DeviceStatus? Status { get; init; }

    [Required, StringLength(200, MinimumLength = 1), RegularExpression(@"^[^\p{C}]+$", ErrorMessage = "The Reason field must not contain control characters.")]
    public string? Reason { get; init; }
}

public sealed record EligibilityView(bool Eligible, IReadOnlyList<string> Reasons);

/// <summary>A device as anyone may see it.</summary>
public sealed record DeviceView(
    Guid Id, string Owner, string? GpuModel, int GpuCount, string CpuClass, int RamGiB, string Country, string City,
    ConnectivityTier Connectivity, SecurityTier Security, DeviceStatus Status, EligibilityView Eligibility,
    DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt)
{
    public static DeviceView Of(Device d, Eligibility eligibility) => new(
        d.DeviceId, d.Owner, d.GpuModel, d.GpuCount, d.CpuClass, d.RamGiB, d.Country, d.City, d.Connectivity, d.Security,
        d.Status, new EligibilityView(eligibility.IsEligible, eligibility.Reasons), d.RegisteredAt, d.UpdatedAt);
}

/// <summary>A page of devices; <see cref="NextOffset"/> is null on the last page.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceView> Items, int Offset, int Limit, int? NextOffset);
