using Azure.Data.Tables;

namespace Arcp.Azure.Storage;

/// <summary>
/// Bytes spread over binary properties <c>D0</c>, <c>D1</c>, … of one entity, because a single property holds at
/// most 64 KiB while an entity holds about 1 MiB.
/// </summary>
internal static class ChunkedBinary
{
    /// <summary>The table service's per-property limit.</summary>
    public const int PropertyLimit = 64 * 1024;

    /// <summary>Data bytes one entity carries here, leaving room for keys and the other properties.</summary>
    public const int EntityCapacity = 15 * PropertyLimit;

    public static void Write(TableEntity entity, ReadOnlyMemory<byte> data)
    {
        if (data.Length > EntityCapacity)
        {
            throw new ArgumentException($"{data.Length} bytes exceed the entity capacity of {EntityCapacity}.", nameof(data));
        }

        var chunks = 0;
        for (var offset = 0; offset < data.Length; offset += PropertyLimit, chunks++)
        {
            entity["D" + chunks] = data.Slice(offset, Math.Min(PropertyLimit, data.Length - offset)).ToArray();
        }

        entity["Chunks"] = chunks;
    }

    public static byte[] Read(TableEntity entity)
    {
        var chunks = entity.GetInt32("Chunks") ?? 0;
        var parts = new byte[chunks][];
        var total = 0;
        for (var i = 0; i < chunks; i++)
        {
            parts[i] = entity.GetBinary("D" + i) ?? [];
            total += parts[i].Length;
        }

        var data = new byte[total];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(data, offset);
            offset += part.Length;
        }

        return data;
    }
}
