using ImActors.Edge.Calls;
using ImActors.Protocol;

namespace ImActors.Edge.Admin;

/// <summary>
/// The body of every refusal the API answers: the error's name (the wire protocol's, where there is one), words for
/// people, the field at fault for bad input, and whether the same request may succeed later.
/// </summary>
public sealed record ApiError(string Error, string Message, string? Field = null, bool Retryable = false)
{
    public static IResult Invalid(string field, string reason) =>
        Results.Json(new ApiError("invalid_request", reason, field), statusCode: StatusCodes.Status400BadRequest);

    public static IResult Unauthorized(string reason) =>
        Results.Json(new ApiError("unauthorized", reason), statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>A failed grain call, as the edge would tell a client, in HTTP's terms.</summary>
    public static IResult From(ClientError error) =>
        Results.Json(new ApiError(ErrorCodes.NameOf(error.Code), error.Reason, Retryable: error.Retryable), statusCode: StatusOf(error.Code));

    /// <summary>The wire codes borrow HTTP's numbers (decision 12); the 44x refusals fold into the HTTP status they stand for.</summary>
    public static int StatusOf(int code) => code switch
    {
        ErrorCodes.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.NotMember or ErrorCodes.Forbidden or ErrorCodes.Muted or ErrorCodes.Banned or ErrorCodes.Blocked => StatusCodes.Status403Forbidden,
        ErrorCodes.TokenInvalid or ErrorCodes.TokenExpired or ErrorCodes.TokenRevoked => StatusCodes.Status403Forbidden,
        ErrorCodes.NoSuchGroup or ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.GroupExists or ErrorCodes.GroupFull or ErrorCodes.RecallWindowPassed or ErrorCodes.Replaced or ErrorCodes.BlockLimit
            or ErrorCodes.WatchLimit or ErrorCodes.UnreadLimit
            => StatusCodes.Status409Conflict,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
