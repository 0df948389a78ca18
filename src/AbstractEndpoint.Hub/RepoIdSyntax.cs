using System.Text.RegularExpressions;

namespace AbstractEndpoint.Hub;

/// <summary>The shapes of hub names: repo ids, quant tags and commit hashes.</summary>
internal static partial class RepoIdSyntax
{
    /// <summary>True for <c>org/name</c>: exactly one slash, hub-legal characters on both sides.</summary>
    public static bool IsRepoId(string value) => RepoIdPattern().IsMatch(value);

    /// <summary>True for a quant tag such as <c>Q4_K_M</c>, <c>IQ3_XXS</c> or <c>bf16</c>.</summary>
    public static bool IsQuantTag(string value) => QuantTagPattern().IsMatch(value);

    /// <summary>True for a full 40-hex-digit git commit hash (a revision that needs no <c>refs/</c> lookup).</summary>
    public static bool IsCommitHash(string value) => CommitHashPattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex QuantTagPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHashPattern();
}
