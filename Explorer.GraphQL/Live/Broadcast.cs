namespace IoNet.Explorer.Live;

/// <summary>A hot observable: every value published goes to the observers subscribed at that moment (none are kept).</summary>
public sealed class Broadcast<T> : IObservable<T>
{
    private readonly Lock _gate = new();
    private IObserver<T>[] _observers = [];

    public int Count => _observers.Length;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        lock (_gate)
            _observers = [.. _observers, observer];
        return new Subscription(this, observer);
    }

    public void Publish(T value)
    {
        foreach (var observer in _observers)
            observer.OnNext(value);
    }

    private void Remove(IObserver<T> observer)
    {
        lock (_gate)
            _observers = [.. _observers.Where(o => !ReferenceEquals(o, observer))];
    }

    private sealed class Subscription(Broadcast<T> owner, IObserver<T> observer) : IDisposable
    {
        public void Dispose() => owner.Remove(observer);
    }
}

/// <summary>An observable that first hands a new observer the current value (when there is one), then every later one.</summary>
public sealed class WithCurrent<T>(Func<T?> current, IObservable<T> later) : IObservable<T> where T : class
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        var subscription = later.Subscribe(observer);
        if (current() is { } now)
            observer.OnNext(now);
        return subscription;
    }
}
