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
            // JsonException.Path is "$.members[2]" for a value of the wrong type: the field, as the service wrote it.
            refusal = e.InnerException is JsonException { Path: { Length: > 2 } path } json
                ? ApiError.Invalid(path[2..], $"{path[2..]} is not of the right type: {FirstSentence(json.Message)}")
                : ApiError.Invalid("body", e.InnerException is JsonException inner ? $"the body is not valid JSON: {FirstSentence(inner.Message)}" : e.Message);
        }

        await refusal.ExecuteAsync(http);
    }

    private static string FirstSentence(string text) => text.Split(". ", 2)[0];
}
