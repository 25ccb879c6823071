namespace IoNet.Marketplace.Matching;

/// <summary>An order's place in up to two ladders at once (an ask sits in its model's and its class's).</summary>
internal struct BookLink
{
    internal BookEntry? Prev;
    internal BookEntry? Next;
    internal PriceLevel? Level;
}

/// <summary>What a ladder holds: an order with its links and its time priority (lower is earlier).</summary>
internal abstract class BookEntry
{
    internal BookLink Link0;
    internal BookLink Link1;

    /// <summary>Time priority: a number from the book's sequence, taken when the order last entered a ladder.</summary>
    internal long Priority;
}

/// <summary>The orders at one price, oldest first.</summary>
internal sealed class PriceLevel
{
    internal ulong Key;
    internal BookEntry? Head;
    internal BookEntry? Tail;
    internal int Count;
    internal int Gpus;
}

/// <summary>
/// Price levels sorted by key ascending, each a FIFO list of orders linked through the entries themselves (no node
/// allocated per order). Finding a level is a binary search; adding or removing an order at an existing level is O(1);
/// a new or emptied level shifts the array (O(levels), a memory move). Asks use the price as key (cheapest first),
/// bids ulong.MaxValue − price (dearest first). Orders enter at the tail: their priorities only grow, so each level
/// stays in time order.
/// </summary>
internal sealed class PriceLadder(int slot)
{
    private PriceLevel[] _levels = new PriceLevel[4];
    private readonly Stack<PriceLevel> _spare = new();

    internal int LevelCount { get; private set; }

    internal int OrderCount { get; private set; }

    internal int GpuCount { get; private set; }

    internal PriceLevel LevelAt(int index) => _levels[index];

    internal BookEntry? Next(BookEntry entry) => Link(entry).Next;

    internal void Add(BookEntry entry, ulong key, int gpus)
    {
        var index = Find(key);
        PriceLevel level;
        if (index >= 0)
        {
            level = _levels[index];
        }
        else
        {
            index = ~index;
            level = _spare.Count > 0 ? _spare.Pop() : new PriceLevel();
            level.Key = key;
            if (LevelCount == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
            Array.Copy(_levels, index, _levels, index + 1, LevelCount - index);
            _levels[index] = level;
            LevelCount++;
        }
        ref var link = ref Link(entry);
        link.Level = level;
        link.Prev = level.Tail;
        link.Next = null;
        if (level.Tail is null) level.Head = entry;
        else Link(level.Tail).Next = entry;
        level.Tail = entry;
        level.Count++;
        level.Gpus += gpus;
        OrderCount++;
        GpuCount += gpus;
    }

    internal void Remove(BookEntry entry, int gpus)
    {
        ref var link = ref Link(entry);
        var level = link.Level ?? throw new InvalidOperationException("The order is not in this ladder.");
        if (link.Prev is null) level.Head = link.Next;
        else Link(link.Prev).Next = link.Next;
        if (link.Next is null) level.Tail = link.Prev;
        else Link(link.Next).Prev = link.Prev;
        link = default;
        level.Count--;
        level.Gpus -= gpus;
        OrderCount--;
        GpuCount -= gpus;
        if (level.Count > 0) return;
        var index = Find(level.Key);
        LevelCount--;
        Array.Copy(_levels, index + 1, _levels, index, LevelCount - index);
        _levels[LevelCount] = null!;
        level.Head = level.Tail = null;
        _spare.Push(level);
    }

    private ref BookLink Link(BookEntry entry) => ref slot == 0 ? ref entry.Link0 : ref entry.Link1;

    private int Find(ulong key)
    {
        int low = 0, high = LevelCount - 1;
        var levels = _levels;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var k = levels[mid].Key;
            if (k == key) return mid;
            if (k < key) low = mid + 1;
            else high = mid - 1;
        }
        return ~low;
    }
}
