using System.Globalization;
using CrmExtensions.Mail.Outbox;
using MimeKit;

namespace CrmExtensions.Mail.Delivery;

/// <summary>Writes each mail as <c>{id}.eml</c> into a folder another program picks up from.</summary>
/// <remarks>Written to a temporary name and renamed, so a reader never sees half a file; writing again replaces the same file, so a retry never duplicates.</remarks>
internal sealed class PickupTransport : IMailTransport
{
    private readonly string _directory;

    public PickupTransport(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public async Task<DeliveryResult> SendAsync(OutboxRow row, MimeMessage message, Func<bool> beforeData, CancellationToken cancellationToken)
    {
        if (!beforeData())
        {
            return new DeliveryResult(DeliveryOutcome.LeaseLost, null);
        }

        var name = row.Id.ToString(CultureInfo.InvariantCulture) + ".eml";
        var temporary = Path.Combine(_directory, "." + name + ".tmp");
        try
        {
            await message.WriteToAsync(temporary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path.Combine(_directory, name), overwrite: true);
            return new DeliveryResult(DeliveryOutcome.Sent, "pickup " + name);
        }
        catch (IOException ex)
        {
            // Nothing is in the pickup folder under the final name: trying again later is safe.
            return new DeliveryResult(DeliveryOutcome.Temporary, null, ex.Message);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
