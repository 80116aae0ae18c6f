namespace Arcp.Testing;

/// <summary>Polls a condition that some background work makes true (a revocation, a sweep), failing after a timeout.</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (20 s by default).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"condition not reached within {timeout ?? TimeSpan.FromSeconds(20)}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="WaitUntilAsync(Func{Task{bool}}, TimeSpan?)"/>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(() => Task.FromResult(condition()), timeout);
    }
}
