using System.Globalization;
using System.Text.Json;
using IoNet.Marketplace.Http;
using IoNet.Suppliers.Uptime;
using Npgsql;

namespace IoNet.Marketplace.Rewards;

/// <summary>
/// The default <see cref="IRewardUptime"/>: <see cref="DeviceUptime"/> documents in the marketplace's store (Marten's
/// table <c>mt_doc_deviceuptime</c>, keyed by the device id), if it has any. Read as JSON (its hour buckets), not
/// through Marten's deserializer: <see cref="DeviceUptime"/> keeps its buckets behind read-only properties. A store
/// without the table answers no uptime (so no device is nominated) rather than failing the block.
/// </summary>
public sealed class StoredDeviceUptime(MarketplaceDatabase database, ILogger<StoredDeviceUptime> log) : IRewardUptime
{
    public const string TableName = "mt_doc_deviceuptime";

    public async Task<IReadOnlyDictionary<Guid, TimeSpan>> GreenUptimeAsync(
        IReadOnlyCollection<Guid> devices, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, TimeSpan>();
        if (devices.Count == 0)
            return result;
        var wanted = devices.ToHashSet();
        var firstHour = DeviceUptime.HourOf(from);
        var endHour = DeviceUptime.HourOf(to);
        await using var connection = await database.OpenAsync(cancellationToken);
        // The id column's type is whatever the writer mapped (uuid or text): compare its text with both spellings.
        await using var select = new NpgsqlCommand($"SELECT data::text FROM {database.Table(TableName)} WHERE id::text = ANY(@keys)", connection);
        select.Parameters.AddWithValue("keys", wanted.SelectMany(d => new[] { d.ToString("D"), d.ToString("N") }).ToArray());
        try
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Read(reader.GetString(0), firstHour, endHour) is var (device, green) && wanted.Contains(device))
                    result[device] = green;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            log.LogWarning("No {Table} in the store: no device has uptime, so none is nominated", TableName);
        }
        return result;
    }

    /// <summary>The device and its green time in hours [<paramref name="firstHour"/>, <paramref name="endHour"/>) of one stored document.</summary>
    public static (Guid Device, TimeSpan Green)? Read(string json, long firstHour, long endHour)
    {
        using var document = JsonDocument.Parse(json);
        Guid? device = null;
        long ms = 0;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.NameEquals("Device") || property.NameEquals("device"))
                device = property.Value.GetGuid();
            else if (string.Equals(property.Name, nameof(DeviceUptime.GreenMillisecondsByHour), StringComparison.OrdinalIgnoreCase))
            {
                foreach (var bucket in property.Value.EnumerateObject())
                {
                    var hour = long.Parse(bucket.Name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    if (hour >= firstHour && hour < endHour)
                        ms = checked(ms + Math.Clamp(bucket.Value.GetInt32(), 0, DeviceUptime.MillisecondsPerHour));
                }
            }
        }
        return device is { } d ? (d, TimeSpan.FromMilliseconds(ms)) : null;
    }
}
