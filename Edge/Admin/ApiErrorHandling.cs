using System.Text.Json;

namespace ImActors.Edge.Admin;

/// <summary>
/// Bad input as a 400 naming its field: the handlers' own checks (<see cref="ApiInputException"/>) and bodies that are
/// not the JSON an operation takes (minimal APIs throw those when <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on).
/// </summary>
public sealed class ApiErrorHandling(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        IResult refusal;
        try
        {
            await next(http);
            return;
        }
        catch (ApiInputException e)
        {
            refusal = ApiError.Invalid(e.Field, e.Message);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            refusal = e.InnerException switch
            {
                // Not JSON at all: the reader's own exception is inside.
                JsonException { InnerException: JsonException syntax } => ApiError.Invalid("body", $"the body is not valid JSON: {FirstSentence(syntax.Message)}"),
                // JSON with a value of the wrong type: Path is "$.members" or "$.members[2]", the field as the service wrote it.
                JsonException { Path: { Length: > 2 } path } => ApiError.Invalid(path[2..], $"{path[2..]} is not of the type this operation takes"),
                JsonException json => ApiError.Invalid("body", $"the body is not the JSON this operation takes: {FirstSentence(json.Message)}"),
                _ => ApiError.Invalid("body", e.Message),
            };
        }

        await refusal.ExecuteAsync(http);
    }

    private static string FirstSentence(string text) => text.Split(". ", 2)[0];
}
