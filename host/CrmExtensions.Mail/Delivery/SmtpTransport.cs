using System.Globalization;
using System.Net.Sockets;
using CrmExtensions.Mail.Outbox;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CrmExtensions.Mail.Delivery;

/// <summary>Sends over one SMTP connection, reused from mail to mail and opened again after a drop.</summary>
/// <remarks>
/// MailKit reports each accepted recipient before it sends DATA; that is where the row is marked "DATA started".
/// Any failure after that point without a server reply leaves the mail's fate unknown.
/// </remarks>
internal sealed class SmtpTransport : IMailTransport
{
    private readonly SmtpSettings _settings;
    private HookedSmtpClient? _client;

    public SmtpTransport(SmtpSettings settings)
    {
        _settings = settings;
    }

    public async Task<DeliveryResult> SendAsync(OutboxRow row, MimeMessage message, Func<bool> beforeData, CancellationToken cancellationToken)
    {
        HookedSmtpClient client;
        try
        {
            client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpProtocolException or SslHandshakeException or TimeoutException)
        {
            await DropAsync().ConfigureAwait(false);
            return new DeliveryResult(DeliveryOutcome.Temporary, null, $"Cannot connect to {_settings.Host}:{_settings.Port}: {ex.Message}");
        }
        catch (AuthenticationException ex)
        {
            await DropAsync().ConfigureAwait(false);
            return new DeliveryResult(DeliveryOutcome.Temporary, null, $"The SMTP server refused the login: {ex.Message}");
        }
        catch (SmtpCommandException ex)
        {
            await DropAsync().ConfigureAwait(false);
            return Refused(ex, dataStarted: false);
        }

        client.Arm(beforeData);
        try
        {
            var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return new DeliveryResult(DeliveryOutcome.Sent, "250 " + response);
        }
        catch (LeaseLostException)
        {
            await DropAsync().ConfigureAwait(false);
            return new DeliveryResult(DeliveryOutcome.LeaseLost, null);
        }
        catch (SmtpCommandException ex)
        {
            // The server answered: whatever it said is definite, before or after DATA.
            if (!client.IsConnected)
            {
                await DropAsync().ConfigureAwait(false);
            }

            return Refused(ex, client.DataStarted);
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException or OperationCanceledException)
        {
            await DropAsync().ConfigureAwait(false);
            return client.DataStarted
                ? new DeliveryResult(DeliveryOutcome.Unknown, null, $"The connection to {_settings.Host}:{_settings.Port} dropped after DATA began: {ex.Message}")
                : new DeliveryResult(DeliveryOutcome.Temporary, null, $"The connection to {_settings.Host}:{_settings.Port} dropped before DATA: {ex.Message}");
        }
        finally
        {
            client.Disarm();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync(quit: true).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
            {
                // Quitting politely is a courtesy; the mail is already recorded.
            }
        }

        _client?.Dispose();
        _client = null;
    }

    private static DeliveryResult Refused(SmtpCommandException ex, bool dataStarted)
    {
        var code = (int)ex.StatusCode;
        var response = code.ToString(CultureInfo.InvariantCulture) + " " + ex.Message;
        return code is >= 400 and < 500
            ? new DeliveryResult(DeliveryOutcome.Temporary, response, $"Temporary refusal{(dataStarted ? " after DATA" : "")}: {response}")
            : new DeliveryResult(DeliveryOutcome.Permanent, response, $"Refused: {response}");
    }

    private async Task<HookedSmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }

        _client?.Dispose();
        var client = new HookedSmtpClient { Timeout = 60_000 };
        _client = client;
        var security = _settings.Security.Trim().ToUpperInvariant() switch
        {
            "TLS" or "SSL" => SecureSocketOptions.SslOnConnect,
            "STARTTLS" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(_settings.Host, _settings.Port, security, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_settings.User))
        {
            await client.AuthenticateAsync(_settings.User, _settings.Password ?? "", cancellationToken).ConfigureAwait(false);
        }

        return client;
    }

    private async Task DropAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                await client.DisconnectAsync(quit: false).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException)
            {
                // Already gone.
            }

            client.Dispose();
        }
    }

    private sealed class LeaseLostException() : Exception("The outbox lease was lost before DATA.");

    /// <summary>An SMTP client that marks the row right before DATA, once every recipient is accepted.</summary>
    private sealed class HookedSmtpClient : SmtpClient
    {
        private Func<bool>? _beforeData;

        public bool DataStarted { get; private set; }

        public void Arm(Func<bool> beforeData)
        {
            _beforeData = beforeData;
            DataStarted = false;
        }

        public void Disarm() => _beforeData = null;

        protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            base.OnRecipientAccepted(message, mailbox, response);
            if (_beforeData is { } mark)
            {
                // One recipient per outbox row: its acceptance is the last reply before DATA.
                _beforeData = null;
                if (!mark())
                {
                    throw new LeaseLostException();
                }

                DataStarted = true;
            }
        }
    }
}
