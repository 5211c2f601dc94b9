using System.Text;
using ImActors.Protocol;

namespace ImActors.Edge.Auth;

/// <summary>
/// Refuses a start whose token keys anyone could forge with: none configured, the public development secret, or a
/// key too short for HS256. Checked before anything listens, so a misconfigured edge never accepts a hello.
/// </summary>
public static class SecretPolicy
{
    public const int MinSecretBytes = 32;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the setting to fix.</summary>
    public static void Check(AuthSettings auth)
    {
        var configured = auth.Keys.Select(k => (Name: $"Auth:Keys:{k.Key}", Secret: k.Value)).ToList();
        if (!string.IsNullOrEmpty(auth.Secret))
        {
            configured.Add(("Auth:Secret", auth.Secret));
        }

        if (configured.Count == 0 && !auth.Development)
        {
            throw new InvalidOperationException(
                "no token secret is configured: set Auth:Secret (env Auth__Secret) or Auth:Keys, or set Auth:Development=true " +
                "to accept the public development secret on a machine of your own");
        }

        foreach (var (name, secret) in configured)
        {
            if (secret == ProtocolDefaults.DevelopmentTokenSecret && !auth.Development)
            {
                throw new InvalidOperationException(
                    $"{name} is the public development secret: configure a secret of your own, or set Auth:Development=true");
            }

            if (Encoding.UTF8.GetByteCount(secret) < MinSecretBytes)
            {
                throw new InvalidOperationException($"{name} is shorter than {MinSecretBytes} bytes, too short for HS256");
            }
        }
    }
}
