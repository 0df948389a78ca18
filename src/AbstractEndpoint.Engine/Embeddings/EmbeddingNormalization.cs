namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>
/// llama-server's <c>--embd-normalize</c>: -1 none, 0 max-absolute (scaled to the int16 range), 1 taxicab (L1),
/// 2 Euclidean (L2, OpenAI's unit vectors, the default), above 2 the p-norm of that order. A zero vector stays zero.
/// </summary>
public static class EmbeddingNormalization
{
    public const int Euclidean = 2;

    public static void Apply(Span<float> vector, int norm)
    {
        double sum = 0;
        switch (norm)
        {
            case < 0:
                return;
            case 0:
                foreach (var x in vector)
                {
                    sum = Math.Max(sum, Math.Abs(x));
                }

                sum /= 32760.0; // int16 range, as llama.cpp scales it
                break;
            case 1:
                foreach (var x in vector)
                {
                    sum += Math.Abs(x);
                }

                break;
            case 2:
                foreach (var x in vector)
                {
                    sum += (double)x * x;
                }

                sum = Math.Sqrt(sum);
                break;
            default:
                foreach (var x in vector)
                {
                    sum += Math.Pow(Math.Abs(x), norm);
                }

                sum = Math.Pow(sum, 1.0 / norm);
                break;
        }

        var scale = sum > 0 ? 1.0 / sum : 0.0;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] * scale);
        }
    }
}
