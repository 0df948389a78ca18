using AbstractEndpoint.Hub.Tests.Support;

namespace AbstractEndpoint.Hub.Tests;

public sealed class ModelReferenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ModelReference Parse(string model, string? hfFile = null) =>
        ModelReference.Parse(model, hfFile, revision: null, currentDirectory: _dir.Combine("cwd"), homeDirectory: _dir.Combine("home"));

    [Fact]
    public void Relative_dot_path_to_existing_file_is_local()
    {
        var file = _dir.CreateFile("cwd/model.gguf");

        var reference = Parse("./model.gguf");

        Assert.Equal(ModelReferenceKind.LocalFile, reference.Kind);
        Assert.Equal(file, reference.LocalPath);
    }

    [Fact]
    public void Absolute_path_and_tilde_are_expanded()
    {
        var absolute = _dir.CreateFile("elsewhere/a.gguf");
        var inHome = _dir.CreateFile("home/models/b.gguf");

        Assert.Equal(absolute, Parse(absolute).LocalPath);
        Assert.Equal(inHome, Parse("~/models/b.gguf").LocalPath);
    }

    [Fact]
    public void Existing_path_wins_over_repo_id_shape()
    {
        var file = _dir.CreateFile("cwd/org/name");

        var reference = Parse("org/name");

        Assert.Equal(ModelReferenceKind.LocalFile, reference.Kind);
        Assert.Equal(file, reference.LocalPath);
    }

    [Theory]
    [InlineData("./missing.gguf")]
    [InlineData("org/name.gguf")]
    [InlineData("~/nope.GGUF")]
    public void Missing_gguf_path_is_file_not_found_naming_the_path(string model)
    {
        var error = Assert.Throws<ModelResolutionException>(() => Parse(model));

        Assert.Equal(ModelResolutionErrorKind.NotFound, error.Kind);
        Assert.StartsWith("Model file not found: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repo_id_with_and_without_quant_tag()
    {
        var plain = Parse("Qwen/Qwen3-0.6B-GGUF");
        var tagged = Parse("unsloth/gemma-3-1b-it-GGUF:q4_k_m");

        Assert.Equal(ModelReferenceKind.HubRepository, plain.Kind);
        Assert.Equal("Qwen/Qwen3-0.6B-GGUF", plain.RepoId);
        Assert.Null(plain.Quant);
        Assert.Equal("main", plain.Revision);
        Assert.Equal("unsloth/gemma-3-1b-it-GGUF", tagged.RepoId);
        Assert.Equal("q4_k_m", tagged.Quant);
        Assert.Equal("unsloth/gemma-3-1b-it-GGUF:q4_k_m", tagged.ToString());
    }

    [Fact]
    public void Hf_file_selects_an_exact_file()
    {
        var reference = Parse("org/name", hfFile: "sub/model-Q8_0.gguf");

        Assert.Equal("sub/model-Q8_0.gguf", reference.FileName);
        Assert.Null(reference.Quant);
    }

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("justaname")]
    [InlineData("/abs/not-a-model")]
    [InlineData("org/name:bad tag")]
    [InlineData("   ")]
    public void Neither_file_nor_repo_id_is_rejected(string model)
    {
        var error = Assert.Throws<ModelResolutionException>(() => Parse(model));

        Assert.Equal(ModelResolutionErrorKind.InvalidReference, error.Kind);
    }

    [Fact]
    public void Quant_tag_and_hf_file_together_are_rejected()
    {
        var error = Assert.Throws<ModelResolutionException>(() => Parse("org/name:Q4_K_M", hfFile: "x.gguf"));

        Assert.Equal(ModelResolutionErrorKind.InvalidReference, error.Kind);
    }

    [Fact]
    public void Hf_file_with_a_local_path_is_rejected()
    {
        _dir.CreateFile("cwd/model.gguf");

        Assert.Throws<ModelResolutionException>(() => Parse("model.gguf", hfFile: "x.gguf"));
    }
}
