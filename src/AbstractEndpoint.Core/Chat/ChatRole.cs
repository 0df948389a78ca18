namespace AbstractEndpoint.Core.Chat;

/// <summary>Who speaks a message. <c>developer</c> on the wire maps to <see cref="System"/>.</summary>
public enum ChatRole
{
    System,
    User,
    Assistant,
    Tool,
}
