namespace AbstractEndpoint.Jinja.Python;

/// <summary>Shared boxes for common values so that hot paths (loop indexes, booleans) do not allocate.</summary>
internal static class PyBox
{
    public static readonly object True = true;
    public static readonly object False = false;

    private const int SmallMin = -16;
    private const int SmallMax = 1024;
    private static readonly object[] SmallInts = CreateSmallInts();

    public static object Bool(bool value) => value ? True : False;

    public static object Int(long value) =>
        value is >= SmallMin and <= SmallMax ? SmallInts[value - SmallMin] : value;

    private static object[] CreateSmallInts()
    {
        var boxes = new object[SmallMax - SmallMin + 1];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = (long)(i + SmallMin);
        }

        return boxes;
    }
}
