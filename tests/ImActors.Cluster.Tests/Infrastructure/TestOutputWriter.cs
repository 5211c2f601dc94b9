using System.Text;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>The verifier's progress lines into the test's output (shown for failed tests), from any thread.</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        try
        {
            output.WriteLine(value ?? "");
        }
        catch (InvalidOperationException)
        {
            // The test is over (a line from a client still shutting down): nowhere to write it.
        }
    }
}
