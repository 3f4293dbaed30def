namespace CrmExtensions.Store;

/// <summary>The root of every failure the host reports to a user as one clear line.</summary>
/// <remarks>The message says what is wrong and what to do; data goes in properties, not only in text.</remarks>
public class CrmException : Exception
{
    public CrmException(string message) : base(message) { }

    public CrmException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The CRM's own database could not be opened, migrated or written.</summary>
public sealed class StoreException : CrmException
{
    public StoreException(string message, Exception? innerException = null) : base(message, innerException) { }
}
