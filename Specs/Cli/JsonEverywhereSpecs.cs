using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Cli;

/// <summary>
/// --json on every command, walked from the root command itself (a new command cannot be missed):
/// stdout is exactly one JSON object whose keys are all snake_case, on success and on an error,
/// usage errors included; an error is <c>{"error": {"message", "exit_code"}}</c> with the exit code
/// the process returned.
/// </summary>
public sealed partial class JsonEverywhereSpecs
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var path in Leaves(WebcCommandLine.Create(new GlobalOptions()), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    private static IEnumerable<string[]> Leaves(Command command, string[] path)
    {
        if (command.Action is not null && path.Length > 0)
        {
            yield return path;
        }

        foreach (var sub in command.Subcommands.SelectMany(s => Leaves(s, [.. path, s.Name])))
        {
            yield return sub;
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_usage_error_is_a_json_error_with_exit_2(string command)
    {
        var result = Cli([.. command.Split(' '), "--json", "--no-such-option"]);

        Assert.Equal(2, result.ExitCode);
        AssertError(result);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void On_a_medium_that_does_not_exist_stdout_is_one_json_object(string command)
    {
        var result = Cli([.. command.Split(' '), "--json", "--medium", "/nonexistent/webc-medium"]);

        if (result.ExitCode == 0)
        {
            SnakeCaseObject(result.Stdout, result);
        }
        else
        {
            AssertError(result);
        }
    }

    [Fact]
    public void Every_command_that_can_succeed_on_a_medium_directory_prints_one_json_object()
    {
        using var medium = new CliMediumDirectory("json", releases: 2);
        string[][] succeeding =
        [
            ["status"], ["history"], ["graph"], ["explain"], ["params"],
            ["bootloader", "show"], ["bootloader", "sync"], ["bootloader", "once", "--clear"],
            ["confirm", "--cmdline", "/nonexistent/cmdline"],
            ["stage", medium.Revisions[1]], ["unstage"],
        ];
        foreach (var args in succeeding)
        {
            var result = medium.Cli([.. args, "--json"]);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
            // params is keyed by the parameters' own names (git-revision, as in config.yaml): data, not schema.
            SnakeCaseObject(result.Stdout, result, dataKeysAtTop: args[0] == "params");
        }

        var refused = medium.Cli("mark-good", "--json");
        Assert.NotEqual(0, refused.ExitCode);
        AssertError(refused);
    }

    private static void AssertError(ProcessResult result)
    {
        var root = SnakeCaseObject(result.Stdout, result);
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.True(root.TryGetProperty("error", out var error), result.ToString());
        Assert.Equal(result.ExitCode, error.GetProperty("exit_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), result.ToString());
    }

    /// <summary>Stdout is one JSON document (and nothing else): an object, or a list for a list (explain); every key snake_case.</summary>
    private static JsonElement SnakeCaseObject(string stdout, ProcessResult result, bool dataKeysAtTop = false)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({e.Message}):\n{result}");
        }

        Assert.True(document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array, result.ToString());
        var schema = dataKeysAtTop ? document.RootElement.EnumerateObject().SelectMany(p => Keys(p.Value)) : Keys(document.RootElement);
        foreach (var key in schema)
        {
            Assert.True(SnakeCase().IsMatch(key), $"key '{key}' is not snake_case:\n{result}");
        }

        return document.RootElement;
    }

    private static IEnumerable<string> Keys(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Keys(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Keys),
        _ => [],
    };

    private static ProcessResult Cli(string[] args) =>
        ProcessResult.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), .. args]);

    [GeneratedRegex("^[a-z0-9]+(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
