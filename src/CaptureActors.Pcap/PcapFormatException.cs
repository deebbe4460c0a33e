namespace CaptureActors.Pcap;

/// <summary>A capture file is not valid pcap, or a record in it is corrupt.</summary>
public sealed class PcapFormatException(string message) : Exception(message);
