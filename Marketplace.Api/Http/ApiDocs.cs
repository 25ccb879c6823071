using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace IoNet.Marketplace.Http;

/// <summary>OpenAPI 3.1 at /openapi/v1.json and the Scalar UI at /scalar, served from this process only (no CDN, no telemetry).</summary>
public static class ApiDocs
{
    private const string Bearer = "Bearer";

    public static IServiceCollection AddMarketplaceApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "IoNet Marketplace API";
                document.Info.Description = "Sign in with a Solana wallet (POST /api/auth/nonce, sign the message, POST /api/auth/verify), "
                    + "then send the token as 'Authorization: Bearer <token>'. Every error is a ProblemDetails (RFC 9457).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "The access token of POST /api/auth/verify (15 minutes).",
                };
                return Task.CompletedTask;
            });
            // Enums travel as their names (StrictEnumConverter), which the generator does not know of by itself.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type.IsEnum && schema.Enum is not { Count: > 0 })
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. Enum.GetNames(type).Select(n => (System.Text.Json.Nodes.JsonNode)n)];
                }
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Not signed in, or the token expired (ProblemDetails)" });
                }
                if (metadata.OfType<IdempotentEndpoint>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyKeys.Header, In = ParameterLocation.Header, Required = false,
                        Description = "Makes retries safe: the same key and request replay the first response (24 h).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKeys.MaxKeyLength },
                    });
                }
                operation.Responses ??= [];
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Rate limited (ProblemDetails, Retry-After)" });
                return Task.CompletedTask;
            });
        });

    public static void MapMarketplaceApiDocs(this WebApplication app)
    {
        app.MapOpenApi().DisableRateLimiting();
        app.MapScalarApiReference(o => o.WithTitle("IoNet Marketplace API").DisableDefaultFonts().DisableTelemetry()).DisableRateLimiting();
    }
}
