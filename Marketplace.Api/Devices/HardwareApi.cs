using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Devices;

public static class HardwareApi
{
    public sealed record HardwareResponse(IReadOnlyList<GpuModel> Gpus, IReadOnlyList<CpuClass> Cpus);

    public static IEndpointRouteBuilder MapHardware(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/hardware").WithTags("Hardware").AllowAnonymous()
            .MapGet("/", List).WithSummary("The hardware catalogue: GPU models and CPU classes a device may have");
        return app;
    }

    private static Ok<HardwareResponse> List(HardwareCatalogue catalogue) => TypedResults.Ok(new HardwareResponse(catalogue.Gpus, catalogue.Cpus));
}
