namespace CaptureActors.Capture;

/// <summary>Live capture over SharpPcap/libpcap. (Placeholder: implemented by the capture engine work.)</summary>
public sealed class LibPcapCaptureEngine : ICaptureEngine
{
    public IReadOnlyList<InterfaceInfo> ListInterfaces() => throw new NotImplementedException();

    public FilterCheck CheckFilter(string filter) => throw new NotImplementedException();

    public string? MissingCapturePrivilege() => throw new NotImplementedException();

    public IInterfaceCapture Start(InterfaceCaptureRequest request) => throw new NotImplementedException();
}
