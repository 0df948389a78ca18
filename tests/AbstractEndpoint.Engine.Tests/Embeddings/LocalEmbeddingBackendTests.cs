using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Tests.Fakes;

namespace AbstractEndpoint.Engine.Tests.Embeddings;

/// <summary>How inputs are packed into decodes of the embedding context, and what comes back.</summary>
public sealed class LocalEmbeddingBackendTests
{
    /// <summary>Vectors that say which input they came from: (first token, length), so packing mistakes show.</summary>
    private sealed class RecordingRuntime(int maxTokens, int maxSequences) : IEmbeddingRuntime
    {
        public List<int> BatchSizes { get; } = [];

        public int Dimensions => 2;

        public int MaxBatchTokens => maxTokens;

        public int MaxSequences => maxSequences;

        public float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs)
        {
            Assert.True(inputs.Count <= maxSequences && inputs.Sum(i => i.Count) <= maxTokens);
            BatchSizes.Add(inputs.Count);
            return [.. inputs.Select(i => new float[] { i[0], i.Count })];
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Inputs_are_packed_in_order_within_the_sequence_and_token_limits()
    {
        var runtime = new RecordingRuntime(maxTokens: 10, maxSequences: 3);
        using var backend = new LocalEmbeddingBackend(new FakeVocabulary(), () => runtime, normalization: -1);
        var inputs = new[] { "aaaa", "bb", "c", "d", "eeeeee", "ffff" }.Select(TextPrompt.FromText).ToArray();

        var result = await backend.EmbedAsync(inputs, null, CancellationToken.None);

        // 4+2+1 (3 inputs: the sequence limit), then 1+6 (the next one would pass 10 tokens), then 4.
        Assert.Equal([3, 2, 1], runtime.BatchSizes);
        Assert.Equal("abcdef".Select(c => (float)c), result.Vectors.Select(v => v[0]));
        Assert.Equal([4f, 2, 1, 1, 6, 4], result.Vectors.Select(v => v[1]));
        Assert.Equal(18, result.PromptTokens);
    }

    [Fact]
    public async Task Vectors_are_unit_length_by_default()
    {
        using var backend = new LocalEmbeddingBackend(new FakeVocabulary(), () => new RecordingRuntime(10, 4));

        var vector = Assert.Single((await backend.EmbedAsync([TextPrompt.FromTokens([3, 1, 1, 1])], null, CancellationToken.None)).Vectors);

        Assert.Equal([0.6f, 0.8f], vector);
    }

    [Theory]
    [InlineData(new[] { 1, 300 })]
    [InlineData(new[] { -1 })]
    public async Task Token_ids_outside_the_vocabulary_are_400s(int[] tokens)
    {
        using var backend = new LocalEmbeddingBackend(new FakeVocabulary(), () => new RecordingRuntime(10, 4));

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => backend.EmbedAsync([TextPrompt.FromTokens(tokens)], null, CancellationToken.None));

        Assert.Equal("input", error.Param);
    }

    [Fact]
    public async Task An_input_longer_than_a_decode_takes_is_a_400_and_nothing_is_decoded()
    {
        var runtime = new RecordingRuntime(maxTokens: 4, maxSequences: 4);
        using var backend = new LocalEmbeddingBackend(new FakeVocabulary(), () => runtime);

        await Assert.ThrowsAsync<InvalidRequestException>(() => backend.EmbedAsync(
            [TextPrompt.FromText("ok"), TextPrompt.FromText("too long")], null, CancellationToken.None));

        Assert.Empty(runtime.BatchSizes);
    }

    [Theory]
    [InlineData(-1, new[] { 3f, -4f })]
    [InlineData(1, new[] { 3f / 7, -4f / 7 })]
    [InlineData(2, new[] { 0.6f, -0.8f })]
    public void Normalisations_are_llama_servers(int norm, float[] expected)
    {
        float[] vector = [3f, -4f];

        EmbeddingNormalization.Apply(vector, norm);

        Assert.Equal(expected[0], vector[0], 5);
        Assert.Equal(expected[1], vector[1], 5);
    }

    [Fact]
    public void A_zero_vector_stays_zero()
    {
        float[] vector = [0f, 0f];

        EmbeddingNormalization.Apply(vector, 2);

        Assert.Equal([0f, 0f], vector);
    }
}
