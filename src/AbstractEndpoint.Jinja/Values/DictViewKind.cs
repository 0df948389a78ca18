namespace AbstractEndpoint.Jinja.Values;

internal enum DictViewKind
{
    Keys,
    Values,
    Items,
}
