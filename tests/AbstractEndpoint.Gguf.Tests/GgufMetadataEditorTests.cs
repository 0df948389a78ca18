using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class GgufMetadataEditorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(32u)]
    [InlineData(128u)]
    public void Editing_metadata_preserves_every_tensor_byte_for_byte(uint alignment)
    {
        var source = _directory.File("source.gguf");
        SyntheticModel.Write(source, new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, ChatTemplate = string.Empty });
        var destination = _directory.File("edited.gguf");
        var changes = new GgufMetadataChanges()
            .Set(GgufKeys.ChatTemplate, GgufValue.FromString(ChatTemplates.ChatMl))
            .Set(GgufKeys.Name, GgufValue.FromString("renamed"))
            .Remove(GgufKeys.Description);
        if (alignment != 32)
        {
            changes.Set(GgufKeys.Alignment, GgufValue.FromUInt32(alignment));
        }

        var edited = GgufMetadataEditor.Rewrite(source, destination, changes);
        var original = GgufFile.Read(source);

        Assert.Equal(ChatTemplates.ChatMl, edited.ChatTemplate);
        Assert.Equal("renamed", edited.Name);
        Assert.False(edited.Metadata.ContainsKey(GgufKeys.Description));
        Assert.Equal((int)alignment, edited.Alignment);
        // Replaced keys keep their place; new keys go last; everything else keeps value and order.
        var expectedKeys = original.Metadata.Select(e => e.Key).Where(k => k != GgufKeys.Description)
            .Append(GgufKeys.ChatTemplate);
        if (alignment != 32)
        {
            expectedKeys = expectedKeys.Append(GgufKeys.Alignment);
        }

        Assert.Equal(expectedKeys, edited.Metadata.Select(e => e.Key));
        foreach (var entry in original.Metadata.Where(e => e.Key is not (GgufKeys.Name or GgufKeys.Description)))
        {
            Assert.Equal(entry.Value, edited.Metadata[entry.Key]);
        }

        Assert.Equal(original.Tensors.Count, edited.Tensors.Count);
        foreach (var (before, after) in original.Tensors.Zip(edited.Tensors))
        {
            Assert.Equal(before.Name, after.Name);
            Assert.Equal(before.Dimensions, after.Dimensions);
            Assert.Equal(before.Type, after.Type);
            Assert.Equal(0, after.Offset % alignment);
            Assert.Equal(original.ReadTensorBytes(before), edited.ReadTensorBytes(after));
        }
    }

    [Fact]
    public void A_file_can_be_edited_in_place()
    {
        var path = _directory.File("in-place.gguf");
        SyntheticModel.Write(path, new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, TensorType = GgmlType.F16 });
        var before = GgufFile.Read(path);
        var embeddingBefore = before.ReadTensorBytes(before.Tensors[0]);

        var edited = GgufMetadataEditor.Rewrite(path, path, new GgufMetadataChanges().Set("x.y", GgufValue.FromInt32(1)));

        Assert.Equal(1, edited.Metadata["x.y"].AsInt32());
        Assert.Equal(embeddingBefore, edited.ReadTensorBytes(edited.Tensors[0]));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [SkippableFact]
    public void A_chat_template_can_be_added_to_stories260K()
    {
        var stories = SharedAssets.File("models", "stories260K.gguf");
        Skip.If(stories is null, SharedAssets.MissingReason);
        var destination = _directory.File("stories-chatml.gguf");

        var edited = GgufMetadataEditor.Rewrite(
            stories, destination, new GgufMetadataChanges().Set(GgufKeys.ChatTemplate, GgufValue.FromString(ChatTemplates.ChatMl)));

        var original = GgufFile.Read(stories);
        Assert.Null(original.ChatTemplate);
        Assert.Equal(ChatTemplates.ChatMl, edited.ChatTemplate);
        Assert.Equal(original.Metadata.Count + 1, edited.Metadata.Count);
        foreach (var (before, after) in original.Tensors.Zip(edited.Tensors))
        {
            Assert.Equal(original.ReadTensorBytes(before), edited.ReadTensorBytes(after));
        }
    }
}
