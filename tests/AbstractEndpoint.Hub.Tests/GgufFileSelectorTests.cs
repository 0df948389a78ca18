namespace AbstractEndpoint.Hub.Tests;

public sealed class GgufFileSelectorTests
{
    private static readonly string[] Repo =
    [
        "README.md",
        "model-Q2_K.gguf",
        "model-Q4_K_S.gguf",
        "model-Q4_K_M.gguf",
        "model-Q8_0.gguf",
        "mmproj-model-f16.gguf",
        "BF16/model-BF16-00001-of-00002.gguf",
        "BF16/model-BF16-00002-of-00002.gguf",
    ];

    [Theory]
    [InlineData("Q8_0", "model-Q8_0.gguf")]
    [InlineData("q8_0", "model-Q8_0.gguf")]
    [InlineData("Q4_K_S", "model-Q4_K_S.gguf")]
    [InlineData("bf16", "BF16/model-BF16-00001-of-00002.gguf")]
    [InlineData("mmproj", "mmproj-model-f16.gguf")]
    public void Requested_quant_wins(string quant, string expected) =>
        Assert.Equal(expected, GgufFileSelector.Select(Repo, quant, null)?.PrimaryFile);

    [Fact]
    public void Without_a_tag_Q4_K_M_is_preferred_then_the_first_sorted_model()
    {
        Assert.Equal("model-Q4_K_M.gguf", GgufFileSelector.Select(Repo, null, null)?.PrimaryFile);
        Assert.Equal("a-Q5_0.gguf", GgufFileSelector.Select(["b-Q6_K.gguf", "a-Q5_0.gguf"], null, null)?.PrimaryFile);
    }

    [Fact]
    public void Projector_files_are_ignored_unless_asked_for() =>
        Assert.Equal("zz-Q6_K.gguf", GgufFileSelector.Select(["mmproj-F16.gguf", "zz-Q6_K.gguf"], null, null)?.PrimaryFile);

    [Fact]
    public void Tag_is_matched_as_a_token_so_Q4_K_does_not_pick_Q4_K_M() =>
        Assert.Equal("m-Q4_K.gguf", GgufFileSelector.Select(["m-Q4_K_M.gguf", "m-Q4_K.gguf"], "Q4_K", null)?.PrimaryFile);

    [Fact]
    public void Missing_quant_returns_null_rather_than_another_quant() =>
        Assert.Null(GgufFileSelector.Select(Repo, "IQ1_S", null));

    [Fact]
    public void Split_parts_form_one_model_in_part_order()
    {
        var model = GgufFileSelector.Select(["x-Q4_K_M-00002-of-00003.gguf", "x-Q4_K_M-00003-of-00003.gguf", "x-Q4_K_M-00001-of-00003.gguf"], null, null);

        Assert.NotNull(model);
        Assert.Equal("x-Q4_K_M-00001-of-00003.gguf", model.PrimaryFile);
        Assert.Equal(["x-Q4_K_M-00001-of-00003.gguf", "x-Q4_K_M-00002-of-00003.gguf", "x-Q4_K_M-00003-of-00003.gguf"], model.Parts);
    }

    [Fact]
    public void Exact_file_matches_path_then_unique_file_name()
    {
        Assert.Equal("model-Q2_K.gguf", GgufFileSelector.Select(Repo, null, "model-Q2_K.gguf")?.PrimaryFile);
        Assert.Equal("mmproj-model-f16.gguf", GgufFileSelector.Select(Repo, null, "mmproj-model-f16.gguf")?.PrimaryFile);
        Assert.Equal("BF16/model-BF16-00001-of-00002.gguf", GgufFileSelector.Select(Repo, null, "model-BF16-00002-of-00002.gguf")?.PrimaryFile);
        Assert.Null(GgufFileSelector.Select(Repo, null, "other.gguf"));
    }
}
