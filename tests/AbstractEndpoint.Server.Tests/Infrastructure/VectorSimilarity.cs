namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>How alike two embedding vectors are: batched and one-by-one vectors may differ in their last bits.</summary>
internal static class VectorSimilarity
{
    /// <summary>The cosine of the angle between <paramref name="a"/> and <paramref name="b"/>, in double precision.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
