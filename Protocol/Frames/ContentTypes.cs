namespace ImActors.Protocol.Frames;

public static class ContentTypes
{
    /// <summary>UTF-8 text. Any other MIME-like string is carried through untouched.</summary>
    public const string Text = "text/plain";
}
