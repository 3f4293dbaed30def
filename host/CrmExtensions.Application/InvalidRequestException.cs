using CrmExtensions.Store;

namespace CrmExtensions.Application;

/// <summary>What was asked for cannot be understood (an unknown ledger name, a malformed value): the caller's mistake, not a failure.</summary>
/// <remarks>The CLI answers it as a usage error (exit code 2), the web as a bad request.</remarks>
internal sealed class InvalidRequestException(string message) : CrmException(message);
