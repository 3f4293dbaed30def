using System.Text.Json;
using CrmExtensions.Unification;

namespace CrmExtensions.Application.Clients;

/// <summary>The match model as the store keeps it: λ and m, u per field and level, as JSON, with the engine that learnt it.</summary>
internal static class KeptModel
{
    private sealed record Level(string Name, double M, double U);

    private sealed record Field(string Name, List<Level> Levels);

    private sealed record Model(double MatchShare, List<Field> Fields, string? Engine = null);

    public static string Write(MatchModel model, string engine) => JsonSerializer.Serialize(new Model(model.MatchShare,
        [.. model.Fields.Select(f => new Field(f.Name, [.. f.Levels.Select(l => new Level(l.Name, l.M, l.U))]))], engine));

    /// <summary>The kept model, or null when the text is not one or another build of the engine learnt it (the engine
    /// then learns a model again and re-examines every row: how this build reads and compares names may differ, and
    /// an incremental run would leave the clients of unchanged rows as the other build made them).</summary>
    /// <param name="json">The kept text.</param>
    /// <param name="rows">The rows it was learnt from.</param>
    /// <param name="engine">This build's engine (<see cref="UnificationEngine.Version"/>).</param>
    /// <param name="refused">Why it is not used, as a person reads it; null when it is.</param>
    public static MatchModel? Read(string json, long rows, string engine, out string? refused)
    {
        Model? model;
        try
        {
            model = JsonSerializer.Deserialize<Model>(json);
        }
        catch (JsonException)
        {
            model = null;
        }

        refused = model?.Fields is null ? "the kept model could not be read" : model.Engine != engine ? "the kept model was learnt by another build of the engine" : null;
        return refused is not null
            ? null
            : MatchModel.Restore(model!.MatchShare, rows, [.. model.Fields!.Select(f => new ModelField(f.Name, [.. (f.Levels ?? []).Select(l => new ModelLevel(l.Name, l.M, l.U))]))]);
    }
}
