using CaptureActors.Capture;

namespace CaptureActors.Console.Tests.Fakes;

/// <summary>An engine for hosting tests that never capture: no interfaces, every filter valid, starts refused.</summary>
public sealed class NoCaptureEngine : ICaptureEngine
{
    public IReadOnlyList<InterfaceInfo> ListInterfaces() => [];

    public FilterCheck CheckFilter(string filter) => FilterCheck.Valid;

    public string? MissingCapturePrivilege() => null;

    public IInterfaceCapture Start(InterfaceCaptureRequest request) =>
        throw new CaptureStartException(CaptureStartError.DeviceError, "this test engine does not capture");
}
