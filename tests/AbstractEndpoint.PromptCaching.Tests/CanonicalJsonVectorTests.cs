using System.Text;
using System.Text.Json;
using AbstractEndpoint.PromptCaching.Json;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>CanonicalJson against <c>json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":"))</c>.</summary>
public sealed class CanonicalJsonVectorTests
{
    public static TheoryData<int> Cases => PythonVectors.Indexes("canonical");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_python_json_dumps(int index)
    {
        var vector = PythonVectors.Section("canonical")[index];
        using var input = JsonDocument.Parse(vector.GetProperty("input").GetString()!);
        var expected = vector.GetProperty("output").GetString()!;

        Assert.Equal(expected, CanonicalJson.Serialize(input.RootElement));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), CanonicalJson.SerializeToUtf8Bytes(input.RootElement));
    }

    [Fact]
    public void Floats_match_python_repr_for_random_doubles()
    {
        var cases = PythonVectors.Section("floats");
        Assert.True(cases.GetArrayLength() >= 600);
        var mismatches = new List<string>();
        foreach (var vector in cases.EnumerateArray())
        {
            var text = vector.GetProperty("input").GetString()!;
            using var input = JsonDocument.Parse(text);
            var actual = CanonicalJson.Serialize(input.RootElement);
            var expected = vector.GetProperty("output").GetString()!;
            if (actual != expected)
            {
                mismatches.Add($"{text}: expected {expected}, got {actual}");
            }
        }

        Assert.Empty(mismatches);
    }
}
