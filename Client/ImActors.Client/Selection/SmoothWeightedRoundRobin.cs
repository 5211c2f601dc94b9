namespace ImActors.Client.Selection;

/// <summary>
/// Smooth weighted round robin (nginx's): each pick adds every candidate's weight to its running score, takes the
/// highest, and takes the total off the winner. Over any run of picks each candidate is chosen in proportion to its
/// weight, and the choices are interleaved rather than bunched (weights 5, 1, 1 give a a b a c a a, not a a a a a b c).
/// </summary>
internal sealed class SmoothWeightedRoundRobin
{
    private readonly Dictionary<string, int> _scores = new(StringComparer.Ordinal);

    /// <summary>The next key among <paramref name="candidates"/> (key, weight &gt; 0); null when there is none.</summary>
    public string? Next(IReadOnlyList<(string Key, int Weight)> candidates)
    {
        // Scores of candidates that left the list are dropped, so one that comes back starts fresh.
        foreach (var gone in _scores.Keys.Where(k => candidates.All(c => c.Key != k)).ToList())
        {
            _scores.Remove(gone);
        }

        string? best = null;
        var total = 0;
        foreach (var (key, weight) in candidates)
        {
            if (weight <= 0)
            {
                continue;
            }

            total += weight;
            var score = _scores[key] = _scores.GetValueOrDefault(key) + weight;
            if (best is null || score > _scores[best])
            {
                best = key;
            }
        }

        if (best is not null)
        {
            _scores[best] -= total;
        }

        return best;
    }
}
