using System.Globalization;
using System.Net;
using System.Text.Json;
using CaptureActors.TestSupport;
using OpenQA.Selenium;

namespace CaptureActors.IntegrationTests.Web;

/// <summary>
/// The Packet Capture page of <c>capturectl serve</c> in a real browser (headless Chromium) over two real capture-agent
/// processes: start from the form, counters growing live, stop, download, merge, delete, the node's filter error next
/// to the field as it is typed, and captures started from the CLI shown with their owner (and the page's shown by the CLI).
/// </summary>
[Collection(PrivilegedCollection.Name)]
public sealed class WebPageTests : IDisposable
{
    private readonly AgentCluster _cluster = new("ca-web-");

    public void Dispose() => _cluster.Dispose();

    [PrivilegedFact]
    public void A_capture_started_on_the_page_runs_on_two_agents_with_live_counters_then_is_stopped_downloaded_merged_and_deleted()
    {
        Privilege.Require();
        _cluster.Start(2);
        using var serve = ServeProcess.Start(_cluster.NodeArguments);
        using var browser = new BrowserSession();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(serve.Address);
        Assert.Equal("Packet Capture — capturectl", driver.Title);
        browser.Until(d => Cell(d, "node1", "reachable").Text == "yes" && Cell(d, "node2", "reachable").Text == "yes", "both nodes reachable");
        Assert.Matches(@"^[+-]\d+\.\d{3} ms$", Cell(driver, "node1", "clock").Text);

        var port = Random.Shared.Next(41000, 48000);
        ChooseNodes(browser, ["node1", "node2"], "lo");
        Fill(driver, "filter", $"udp port {port}");
        Fill(driver, "max-size", "10MB");
        Fill(driver, "duration", "");
        Fill(driver, "ring", "");
        driver.FindElement(By.Id("start")).Click();
        browser.Until(d => State(d, "node1").StartsWith("running", StringComparison.Ordinal) && State(d, "node2").StartsWith("running", StringComparison.Ordinal), "both captures running");
        Assert.Contains("(web, pid", Cell(driver, "node1", "owner").Text, StringComparison.Ordinal);
        Assert.Contains("detached", Cell(driver, "node1", "owner").Text, StringComparison.Ordinal);

        // The CLI shows the page's capture with its owner.
        var cliStatus = JsonDocument.Parse(_cluster.Ctl("packetcapture", "status", "--on", "node2", "--json").StandardOutput).RootElement;
        Assert.Equal("web", cliStatus.GetProperty("owner").GetProperty("client").GetString());
        Assert.True(cliStatus.GetProperty("detached").GetBoolean());

        // Counters grow without a reload while traffic flows.
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 40, 200);
        browser.Until(d => Packets(d, "node1") >= 40 && Packets(d, "node2") >= 40, "40 packets counted on both nodes");
        var before = Packets(driver, "node1");
        var sizeBefore = long.Parse(Cell(driver, "node1", "size").GetAttribute("data-bytes")!, CultureInfo.InvariantCulture);
        UdpTraffic.Send(new IPEndPoint(IPAddress.Loopback, port), 60, 200);
        browser.Until(d => Packets(d, "node1") >= before + 60 && Packets(d, "node2") >= 100, "the counters grow to 100 packets");
        Assert.True(long.Parse(Cell(driver, "node1", "size").GetAttribute("data-bytes")!, CultureInfo.InvariantCulture) > sizeBefore);
        Assert.NotEqual("-", Cell(driver, "node1", "elapsed").Text);
        var shot = browser.Screenshot("web-page-running.png");
        Assert.True(new FileInfo(shot).Length > 10_000, $"screenshot {shot} is suspiciously small");
        if (Environment.GetEnvironmentVariable("CAPTURE_WEB_SCREENSHOT") is { Length: > 0 } copy)
        {
            File.Copy(shot, copy, overwrite: true);
        }

        driver.FindElement(By.Id("stop")).Click();
        browser.Until(d => State(d, "node1").StartsWith("stopped", StringComparison.Ordinal) && State(d, "node2").StartsWith("stopped", StringComparison.Ordinal), "both captures stopped");

        // Download File: the browser saves the node's file; tcpdump reads every packet sent.
        var row1 = browser.Until(d => FileRow(d, "node1", "finished"), "node1's finished file listed")!;
        var name1 = row1.FindElement(By.CssSelector("td.file")).Text;
        row1.FindElement(By.CssSelector("a.download")).Click();
        var downloaded = browser.WaitForDownload(n => n == name1, name1);
        var read = Tcpdump.ReadPackets(downloaded, $"udp port {port}");
        Assert.True(read.ExitCode == 0, read.StandardError);
        Assert.Equal(100, read.Count);

        // Download merged pcapng of both nodes' files: one file with both nodes' packets.
        var row2 = browser.Until(d => FileRow(d, "node2", "finished"), "node2's finished file listed")!;
        row1 = FileRow(driver, "node1", "finished")!;
        row1.FindElement(By.CssSelector("input[type=checkbox]")).Click();
        row2.FindElement(By.CssSelector("input[type=checkbox]")).Click();
        driver.FindElement(By.Id("download-merged")).Click();
        var merged = browser.WaitForDownload(n => n.StartsWith("merged_", StringComparison.Ordinal) && n.EndsWith(".pcapng", StringComparison.Ordinal), "the merged pcapng");
        var mergedRead = Tcpdump.ReadPackets(merged, $"udp port {port}");
        Assert.True(mergedRead.ExitCode == 0, mergedRead.StandardError);
        Assert.Equal(200, mergedRead.Count);

        // Delete Selected Files, with confirmation: node1's file goes from the page and from the node's disk.
        row2.FindElement(By.CssSelector("input[type=checkbox]")).Click();
        var onDisk = Directory.GetFiles(Path.Combine(_cluster.RootPath, "node1"), name1, SearchOption.AllDirectories);
        Assert.Single(onDisk);
        driver.FindElement(By.Id("delete-files")).Click();
        var alert = browser.Until(d => d.SwitchTo().Alert(), "the delete confirmation");
        Assert.Contains(name1, alert.Text, StringComparison.Ordinal);
        alert.Accept();
        browser.Until(d => FileRow(d, "node1", null) is null, "node1's file gone from the page");
        Assert.False(File.Exists(onDisk[0]));
        Assert.NotNull(FileRow(driver, "node2", "finished"));
    }

    [PrivilegedFact]
    public void A_bad_filter_shows_the_nodes_libpcap_error_next_to_the_field_and_a_cli_capture_shows_its_owner()
    {
        Privilege.Require();
        _cluster.Start(2);
        using var serve = ServeProcess.Start(_cluster.NodeArguments);
        using var browser = new BrowserSession();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(serve.Address);
        browser.Until(d => Cell(d, "node1", "reachable").Text == "yes", "node1 reachable");

        ChooseNodes(browser, ["node1", "node2"], "lo");

        // Typing is enough: each node's libpcap checks the filter (debounced) and its refusal shows under the field,
        // in the very words a start is refused with; nothing starts.
        Fill(driver, "filter", "udp port nosuchservice");
        var typed = browser.Until(
            d => d.FindElement(By.Id("filter-error")).Text is { } text && text.Contains("node2: invalid filter 'udp port nosuchservice'", StringComparison.Ordinal) ? text : null,
            "both nodes' errors for the typed filter, without Start")!;
        Assert.Contains("node1: invalid filter 'udp port nosuchservice'", typed, StringComparison.Ordinal);
        Assert.Contains("node2: invalid filter 'udp port nosuchservice'", typed, StringComparison.Ordinal);
        Assert.Contains("nosuchservice", typed, StringComparison.Ordinal);
        Assert.Equal("true", driver.FindElement(By.Id("filter")).GetAttribute("aria-invalid"));
        Assert.Equal("polite", driver.FindElement(By.Id("filter-error")).GetAttribute("aria-live"));
        Assert.StartsWith("idle", State(driver, "node1"), StringComparison.Ordinal);
        browser.Screenshot("web-page-bad-filter-typed.png");

        // A good filter clears it, and says which nodes accepted it.
        Fill(driver, "filter", "udp port 53");
        browser.Until(d => d.FindElement(By.Id("filter-error")).Text.Length == 0, "the filter's error cleared");
        Assert.Equal("false", driver.FindElement(By.Id("filter")).GetAttribute("aria-invalid"));
        browser.Until(d => d.FindElement(By.Id("filter-check")).Text.Contains("accepted by node1, node2", StringComparison.Ordinal), "the filter accepted by both nodes");

        // The CLI asks the same nodes the same question and gets the same words.
        var check = _cluster.Ctl("packetcapture", "check-filter", "--on", "node1,node2", "udp port nosuchservice");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("node1: invalid filter 'udp port nosuchservice'", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("node2: invalid filter 'udp port nosuchservice'", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(typed.Split('\n')[0], check.StandardOutput, StringComparison.Ordinal);

        // Start refuses it as well (the start's own check), with the same message next to the field.
        Fill(driver, "filter", "udp port nosuchservice");
        driver.FindElement(By.Id("start")).Click();
        browser.Until(d => d.FindElement(By.Id("form-status")).Text.Contains("node1: invalid filter", StringComparison.Ordinal), "the start refused");
        var error = driver.FindElement(By.Id("filter-error")).Text;
        Assert.Contains("node1: invalid filter 'udp port nosuchservice'", error, StringComparison.Ordinal);
        Assert.Contains("node2: invalid filter", error, StringComparison.Ordinal);
        Assert.Equal("true", driver.FindElement(By.Id("filter")).GetAttribute("aria-invalid"));
        Assert.StartsWith("idle", State(driver, "node1"), StringComparison.Ordinal);
        Assert.StartsWith("idle", State(driver, "node2"), StringComparison.Ordinal);
        browser.Screenshot("web-page-bad-filter.png");

        // Edit Settings: a range error shows by its field; valid settings are stored on the node (as packetcapture setup shows).
        driver.FindElement(By.CssSelector("#nodes tr[data-node='node1'] .edit-settings")).Click();
        browser.Until(d => d.FindElement(By.Id("form-status")).Text.Contains("Settings of node1 loaded", StringComparison.Ordinal), "node1's settings loaded");
        Fill(driver, "filter", "tcp port 25");
        Fill(driver, "max-size", "5MB");
        Fill(driver, "ring", "1");
        driver.FindElement(By.Id("save-settings")).Click();
        var ringError = browser.Until(d => d.FindElement(By.Id("ring-error")).Text is { Length: > 0 } text ? text : null, "the ring's error");
        Assert.Contains("ring of 1 files is out of range: 2 to", ringError, StringComparison.Ordinal);
        Fill(driver, "ring", "4");
        driver.FindElement(By.Id("save-settings")).Click();
        browser.Until(d => d.FindElement(By.Id("form-status")).Text.Contains("node1: settings stored", StringComparison.Ordinal), "node1's settings stored");
        var setup = _cluster.Ctl("packetcapture", "setup", "--on", "node1", "--json");
        Assert.True(setup.ExitCode == 0, setup.StandardError);
        Assert.Contains("\"filter\": \"tcp port 25\"", setup.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"ringFiles\": 4", setup.StandardOutput, StringComparison.Ordinal);

        // A capture started from the CLI shows up on the page with its owner.
        var start = _cluster.Ctl("packetcapture", "start", "--on", "node2", "-i", "lo", "--detach");
        Assert.True(start.ExitCode == 0, start.StandardError);
        browser.Until(d => State(d, "node2").StartsWith("running", StringComparison.Ordinal), "the CLI's capture running on the page");
        Assert.Contains("(capturectl, pid", Cell(driver, "node2", "owner").Text, StringComparison.Ordinal);
        var stop = _cluster.Ctl("packetcapture", "stop", "--on", "node2");
        Assert.True(stop.ExitCode == 0, stop.StandardError);
        browser.Until(d => State(d, "node2").StartsWith("stopped", StringComparison.Ordinal), "the CLI's capture stopped on the page");

        // A node whose agent dies shows as unreachable, naming why; the other goes on.
        _cluster.Agents[1].Kill();
        browser.Until(d => Cell(d, "node2", "reachable").Text.StartsWith("no: ", StringComparison.Ordinal), "node2 shown unreachable");
        Assert.Contains("node 'node2'", Cell(driver, "node2", "reachable").Text, StringComparison.Ordinal);
        Assert.Equal("yes", Cell(driver, "node1", "reachable").Text);
    }

    [PrivilegedFact]
    public void An_empty_max_size_on_the_page_applies_the_nodes_stored_setting_shown_as_its_placeholder_and_none_removes_it()
    {
        Privilege.Require();
        _cluster.Start(1);
        var setup = _cluster.Ctl("packetcapture", "setup", "--on", "node1", "-i", "lo", "--max-size", "3MB", "--ring", "none", "--duration", "none");
        Assert.True(setup.ExitCode == 0, setup.StandardError);
        using var serve = ServeProcess.Start(_cluster.NodeArguments);
        using var browser = new BrowserSession();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(serve.Address);
        browser.Until(d => Cell(d, "node1", "reachable").Text == "yes", "node1 reachable");

        ChooseNodes(browser, ["node1"], "lo");
        browser.Until(d => d.FindElement(By.Id("max-size")).GetAttribute("placeholder") == "3.0MB", "the stored 3.0MB shown as the max size's placeholder");
        Assert.Equal("none", driver.FindElement(By.Id("ring")).GetAttribute("placeholder"));
        Fill(driver, "max-size", "");
        Fill(driver, "duration", "");
        Fill(driver, "ring", "");
        driver.FindElement(By.Id("start")).Click();
        browser.Until(d => State(d, "node1").StartsWith("running", StringComparison.Ordinal), "the capture running");
        Assert.Equal(3L << 20, MaxSizeOfRunningCapture());
        driver.FindElement(By.Id("stop")).Click();
        browser.Until(d => State(d, "node1").StartsWith("stopped", StringComparison.Ordinal), "the capture stopped");

        Fill(driver, "max-size", "none");
        driver.FindElement(By.Id("start")).Click();
        browser.Until(d => State(d, "node1").StartsWith("running", StringComparison.Ordinal), "the second capture running");
        Assert.Null(MaxSizeOfRunningCapture());
        driver.FindElement(By.Id("stop")).Click();
        browser.Until(d => State(d, "node1").StartsWith("stopped", StringComparison.Ordinal), "the second capture stopped");
    }

    private long? MaxSizeOfRunningCapture()
    {
        var status = _cluster.Ctl("packetcapture", "status", "--on", "node1", "--json");
        Assert.True(status.ExitCode == 0, status.StandardError);
        var size = JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("settings").GetProperty("maxFileSizeBytes");
        return size.ValueKind == JsonValueKind.Null ? null : size.GetInt64();
    }

    private static IWebElement Cell(IWebDriver driver, string node, string cell) =>
        driver.FindElement(By.CssSelector($"#nodes tr[data-node='{node}'] .{cell}"));

    private static string State(IWebDriver driver, string node) => Cell(driver, node, "state").Text;

    private static long Packets(IWebDriver driver, string node) =>
        long.Parse(Cell(driver, node, "packets").GetAttribute("data-value") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>The node's first file row (in the given state), or null when it has none.</summary>
    private static IWebElement? FileRow(IWebDriver driver, string node, string? state) =>
        driver.FindElements(By.CssSelector("#files tbody tr"))
            .FirstOrDefault(r => r.FindElement(By.CssSelector("td.node")).Text == node && (state is null || r.FindElement(By.CssSelector("td.state")).Text == state));

    private static void Fill(IWebDriver driver, string id, string value)
    {
        var input = driver.FindElement(By.Id(id));
        input.Clear();
        if (value.Length > 0)
        {
            input.SendKeys(value);
        }
    }

    /// <summary>Ticks the nodes in the Nodes table and, in each node's interface choices, only <paramref name="iface"/>.</summary>
    private static void ChooseNodes(BrowserSession browser, IReadOnlyList<string> nodes, string iface)
    {
        foreach (var node in nodes)
        {
            browser.Driver.FindElement(By.Id($"node-{node}")).Click();
            browser.Until(d => d.FindElements(By.CssSelector($"#interface-choices fieldset[data-node='{node}'] input[value='{iface}']")).Count == 1, $"{node}'s interfaces offered");
        }

        foreach (var box in browser.Driver.FindElements(By.CssSelector("#interface-choices input[type=checkbox]")))
        {
            if (box.Selected != (box.GetAttribute("value") == iface))
            {
                box.Click();
            }
        }
    }
}
