using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>Reads a process's <c>/metrics</c> as Prometheus text. Shared with the cluster tests, which scrape silos.</summary>
public static class PrometheusText
{
    public static async Task<string> ScrapeAsync(HttpClient http, Uri admin)
    {
        var reply = await http.GetAsync(new Uri(admin, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        return await reply.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels include every one given.</summary>
    public static double Sum(string scrape, string metric, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && (line.Length == metric.Length || line[metric.Length] is '{' or ' '))
            .Where(line => labels.All(line.Contains))
            .Select(line => Regex.Match(line, @"\s(\S+)(\s\d+)?$").Groups[1].Value)
            .Sum(value => double.Parse(value, CultureInfo.InvariantCulture));
}
