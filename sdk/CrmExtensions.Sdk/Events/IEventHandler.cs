namespace CrmExtensions.Sdk.Events;

/// <summary>Reacts to change events; registered with <see cref="IPluginBuilder.AddEventHandler{THandler}"/>.</summary>
/// <remarks>
/// Writes made through <see cref="Storage.ICrmWriter"/> and <see cref="Storage.IPluginStore"/> during a delivery are
/// committed together with the host's record of that delivery, so after a crash an event's effects are neither
/// lost nor doubled. A handler that throws or exceeds its time budget is logged with the plugin's id, its writes
/// are discarded, and the other handlers carry on.
/// </remarks>
public interface IEventHandler
{
    /// <summary>Handles one event.</summary>
    /// <param name="crmEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the handler's time budget is spent or the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(CrmEvent crmEvent, CancellationToken cancellationToken);
}
