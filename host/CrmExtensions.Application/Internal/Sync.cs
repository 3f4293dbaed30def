namespace CrmExtensions.Application.Internal;

/// <summary>Runs a synchronous store call behind an async use-case method.</summary>
/// <remarks>
/// The faces see the core as async all the way, so a store that goes async underneath changes no face. The store's
/// queries are synchronous today (Dapper over short reads): they run inline after a cancellation check rather than on
/// another thread; long work (sync, unification, attach) is run on the thread pool by its service.
/// </remarks>
internal static class Sync
{
    public static Task<T> Run<T>(Func<T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(body());
    }
}
