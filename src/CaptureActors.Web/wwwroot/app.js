// The Packet Capture page: plain JavaScript, no libraries. Polls the JSON API (overview every second, files every
// two seconds) and updates the tables in place, so ticked boxes and focus survive the refresh.
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (selector, root = document) => root.querySelector(selector);
const interfaceCache = new Map();
const fields = ["interfaces", "filter", "maxSize", "duration", "ring", "form"];

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  const body = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

async function postJson(path, data) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Capture-Csrf": csrf },
    body: JSON.stringify(data),
  });
  const body = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok && !("nodes" in body) && !("fieldErrors" in body)) throw new Error(body.error || `${response.status}`);
  return body;
}

function text(element, value) {
  const next = value === null || value === undefined || value === "" ? "-" : String(value);
  if (element.textContent !== next) element.textContent = next;
}

const number = value => (value === null || value === undefined ? "-" : Number(value).toLocaleString("en-US"));
const time = value => (value ? new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
const offset = ms => (ms === null || ms === undefined ? "-" : `${ms >= 0 ? "+" : ""}${ms.toFixed(3)} ms`);

function checkedNodes() {
  return [...document.querySelectorAll("#nodes tbody input[type=checkbox]:checked")].map(box => box.value);
}

// ---- nodes and live counters --------------------------------------------------------------------------------------

function nodeRow(node) {
  const body = $("#nodes tbody");
  let row = body.querySelector(`tr[data-node="${CSS.escape(node.name)}"]`);
  if (row) return row;
  row = document.createElement("tr");
  row.dataset.node = node.name;
  row.innerHTML = `<td><input type="checkbox" class="choose-node"></td><th scope="row" class="name"></th><td class="address"></td>
    <td class="reachable"></td><td class="clock"></td><td class="state"></td><td class="owner"></td><td class="elapsed"></td>
    <td class="size num"></td><td class="packets num"></td><td class="drops num"></td>
    <td><button type="button" class="edit-settings">Edit Settings</button></td>`;
  const box = row.querySelector("input");
  box.value = node.name;
  box.id = `node-${node.name}`;
  box.setAttribute("aria-label", `Choose node ${node.name}`);
  box.addEventListener("change", renderInterfaceChoices);
  row.querySelector(".edit-settings").setAttribute("aria-label", `Edit settings of ${node.name}`);
  row.querySelector(".edit-settings").addEventListener("click", () => editSettings(node.name));
  body.appendChild(row);
  return row;
}

function renderNode(node) {
  const row = nodeRow(node);
  const capture = node.capture;
  text(row.querySelector(".name"), node.name);
  text(row.querySelector(".address"), node.endpoint);
  const reachable = row.querySelector(".reachable");
  text(reachable, node.reachable ? "yes" : `no: ${node.error}`);
  reachable.className = "reachable" + (node.reachable ? "" : " unreachable");
  text(row.querySelector(".clock"), offset(node.clockOffsetMilliseconds));
  const state = row.querySelector(".state");
  const stateText = capture ? capture.state + (capture.stopReason ? ` (${capture.stopReason})` : "") + (capture.captureId ? ` · ${capture.captureId}` : "") : "-";
  text(state, stateText);
  state.className = `state state-${capture ? capture.state : "unknown"}`;
  const owner = row.querySelector(".owner");
  text(owner, capture && capture.owner ? capture.owner + (capture.detached ? ", detached" : ", attached") : "-");
  owner.className = "owner" + (capture && capture.ownerClient === "web" ? " owner-web" : "");
  text(row.querySelector(".elapsed"), capture && capture.captureId ? capture.elapsed : "-");
  text(row.querySelector(".size"), capture && capture.captureId ? capture.fileSize : "-");
  row.querySelector(".size").dataset.bytes = capture ? capture.fileBytes : 0;
  text(row.querySelector(".packets"), capture && capture.captureId ? number(capture.packets) : "-");
  row.querySelector(".packets").dataset.value = capture ? capture.packets : 0;
  text(row.querySelector(".drops"), capture && capture.captureId ? number(capture.drops) : "-");
}

async function refreshOverview() {
  try {
    const overview = await getJson("/api/overview");
    overview.nodes.forEach(renderNode);
    text($("#updated"), `Updated ${time(overview.serverTime)}.`);
  } catch (error) {
    text($("#updated"), `Not updated: ${error.message}`);
  }
}

// ---- settings form ------------------------------------------------------------------------------------------------

async function interfacesOf(node) {
  if (!interfaceCache.has(node)) {
    const [choices, setup] = await Promise.all([getJson(`/api/nodes/${encodeURIComponent(node)}/interfaces`), getJson(`/api/nodes/${encodeURIComponent(node)}/setup`)]);
    interfaceCache.set(node, { choices, setup });
  }
  return interfaceCache.get(node);
}

// An empty size, duration or ring takes the node's stored setting ('none' removes the limit): each field's placeholder
// shows the value that will apply, from the ticked nodes' setups ("per node" when they differ).
const limitFields = [["max-size", "maxSize"], ["duration", "duration"], ["ring", "ring"]];

async function showApplyingLimits() {
  const nodes = checkedNodes();
  const setups = [];
  for (const node of nodes) {
    try { setups.push((await interfacesOf(node)).setup); } catch { /* an unreachable node shows its error in the choices */ }
  }
  for (const [id, key] of limitFields) {
    const values = [...new Set(setups.map(setup => setup[key]))];
    $(`#${id}`).placeholder = values.length === 1 ? values[0] : values.length > 1 ? "per node: " + values.join(" / ") : "the node's setting";
  }
}

async function renderInterfaceChoices() {
  const container = $("#interface-choices");
  const nodes = checkedNodes();
  showApplyingLimits();
  if (nodes.length === 0) {
    container.innerHTML = '<p class="hint">Tick a node to choose its interfaces.</p>';
    return;
  }
  for (const existing of [...container.querySelectorAll("fieldset")]) {
    if (!nodes.includes(existing.dataset.node)) existing.remove();
  }
  container.querySelector("p.hint")?.remove();
  for (const node of nodes) {
    if (container.querySelector(`fieldset[data-node="${CSS.escape(node)}"]`)) continue;
    const set = document.createElement("fieldset");
    set.className = "node-interfaces";
    set.dataset.node = node;
    set.innerHTML = "<legend></legend>";
    set.querySelector("legend").textContent = node;
    container.appendChild(set);
    try {
      const { choices, setup } = await interfacesOf(node);
      for (const name of ["any", ...choices.map(c => c.name).filter(n => n !== "any")]) {
        const label = document.createElement("label");
        label.className = "choice";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = `if-${node}`;
        box.value = name;
        box.checked = setup.interfaces.includes(name);
        box.dataset.node = node;
        box.addEventListener("change", () => {
          if (box.checked && name === "any") set.querySelectorAll("input").forEach(other => { if (other !== box) other.checked = false; });
          if (box.checked && name !== "any") set.querySelector('input[value="any"]').checked = false;
        });
        label.append(box, document.createTextNode(name));
        set.appendChild(label);
      }
    } catch (error) {
      const problem = document.createElement("span");
      problem.className = "error";
      problem.textContent = error.message;
      set.appendChild(problem);
    }
  }
}

function formSettings() {
  const interfaces = {};
  for (const set of document.querySelectorAll("#interface-choices fieldset")) {
    interfaces[set.dataset.node] = [...set.querySelectorAll("input:checked")].map(box => box.value);
  }
  return {
    nodes: checkedNodes(),
    interfaces,
    settings: { filter: $("#filter").value, maxSize: $("#max-size").value, duration: $("#duration").value, ring: $("#ring").value },
  };
}

function showFieldErrors(fieldErrors) {
  for (const field of fields) {
    const messages = (fieldErrors && fieldErrors[field]) || [];
    text($(`#${field}-error`), messages.join("\n"));
    if (!messages.length) $(`#${field}-error`).textContent = "";
    const input = field === "interfaces" || field === "form" ? null : $(`#${field === "maxSize" ? "max-size" : field}`);
    if (input) input.setAttribute("aria-invalid", messages.length ? "true" : "false");
  }
}

function showOutcomes(target, result, fallback) {
  target.innerHTML = "";
  if (result.error) {
    target.textContent = result.error;
    target.className = "outcome-bad";
    return;
  }
  const list = document.createElement("ul");
  for (const outcome of result.nodes || []) {
    const item = document.createElement("li");
    item.className = outcome.ok ? "outcome-ok" : "outcome-bad";
    item.textContent = `${outcome.node}: ${outcome.ok ? (outcome.message || fallback) : outcome.message}`;
    list.appendChild(item);
  }
  target.className = "";
  if (result.captureId && result.ok) {
    const line = document.createElement("p");
    line.textContent = `Capture ${result.captureId} started (detached: it runs on when this page is closed).`;
    target.appendChild(line);
  }
  target.appendChild(list);
}

async function submit(path, fallback) {
  const request = formSettings();
  filterCheck.sequence++; // a live check still on its way must not overwrite what the nodes answer now
  showFieldErrors({});
  if (request.nodes.length === 0) {
    showFieldErrors({ form: ["Tick one or more nodes in the Nodes table first."] });
    return;
  }
  $("#form-status").textContent = "Working…";
  try {
    const result = await postJson(path, request);
    showFieldErrors(result.fieldErrors);
    showOutcomes($("#form-status"), result, fallback);
  } catch (error) {
    showFieldErrors({ form: [error.message] });
    $("#form-status").textContent = "";
  }
  refreshOverview();
  refreshFiles();
}

async function editSettings(node) {
  document.querySelectorAll("#nodes tbody input.choose-node").forEach(box => { box.checked = box.value === node; });
  interfaceCache.delete(node);
  $("#interface-choices").innerHTML = "";
  await renderInterfaceChoices();
  const { setup } = await interfacesOf(node);
  $("#filter").value = setup.filter;
  $("#max-size").value = setup.maxSize;
  $("#duration").value = setup.duration;
  $("#ring").value = setup.ring;
  showFieldErrors({});
  $("#form-status").textContent = `Settings of ${node} loaded: change them and press "Save as node settings", or start a capture with them.`;
  $("#filter").focus();
}

async function stopCapture() {
  const nodes = checkedNodes();
  if (nodes.length === 0) {
    $("#nodes-status").textContent = "Tick the nodes to stop first.";
    return;
  }
  $("#nodes-status").textContent = "Stopping…";
  try {
    showOutcomes($("#nodes-status"), await postJson("/api/captures/stop", { nodes }), "stopped");
  } catch (error) {
    $("#nodes-status").textContent = error.message;
  }
  refreshOverview();
  refreshFiles();
}

// ---- live filter check ---------------------------------------------------------------------------------------------
// While the filter is typed (400 ms after the last key, and on leaving the field) each ticked node compiles it with its
// own libpcap; its refusal shows under the field as a start's would, and goes when the filter is valid. A reply that
// arrives after a newer check was sent is ignored.

const filterCheck = { sequence: 0, timer: 0, lastKey: null };

function showFilterCheck(messages, note) {
  text($("#filter-error"), messages.join("\n"));
  if (!messages.length) $("#filter-error").textContent = "";
  $("#filter").setAttribute("aria-invalid", messages.length ? "true" : "false");
  $("#filter-check").textContent = note || "";
}

async function checkFilter() {
  clearTimeout(filterCheck.timer);
  const nodes = checkedNodes();
  const filter = $("#filter").value.trim();
  const key = JSON.stringify([nodes, filter]);
  if (key === filterCheck.lastKey) return;
  filterCheck.lastKey = key;
  const sequence = ++filterCheck.sequence;
  if (nodes.length === 0) {
    showFilterCheck([], "");
    return;
  }
  try {
    const result = await postJson("/api/filter/check", { nodes, filter });
    if (sequence !== filterCheck.sequence) return;
    const unchecked = (result.nodes || []).filter(n => n.valid === null).map(n => n.error);
    const accepted = (result.nodes || []).filter(n => n.valid === true).map(n => n.node);
    const note = [accepted.length ? `Filter accepted by ${accepted.join(", ")}.` : "", unchecked.length ? `Not checked: ${unchecked.join("; ")}` : ""].filter(Boolean).join(" ");
    showFilterCheck((result.fieldErrors && result.fieldErrors.filter) || [], note);
  } catch (error) {
    if (sequence !== filterCheck.sequence) return;
    filterCheck.lastKey = null;
    showFilterCheck([], `Filter not checked: ${error.message}`);
  }
}

function scheduleFilterCheck() {
  clearTimeout(filterCheck.timer);
  filterCheck.timer = setTimeout(checkFilter, 400);
}

// ---- files ----------------------------------------------------------------------------------------------------------

const fileKey = file => `${file.node}/${file.name}`;

function chosenFiles() {
  return [...document.querySelectorAll("#files tbody input[type=checkbox]:checked")].map(box => ({ node: box.dataset.node, name: box.dataset.name }));
}

async function refreshFiles() {
  let listing;
  try {
    listing = await getJson("/api/files");
  } catch (error) {
    $("#files-status").textContent = error.message;
    return;
  }
  const body = $("#files tbody");
  const seen = new Set();
  for (const file of listing.files) {
    const key = fileKey(file);
    seen.add(key);
    let row = body.querySelector(`tr[data-key="${CSS.escape(key)}"]`);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.key = key;
      row.innerHTML = `<td><input type="checkbox"></td><td class="node"></td><td class="file"></td><td class="iface"></td><td class="size num"></td>
        <td class="packets num"></td><td class="first"></td><td class="last"></td><td class="state"></td><td><a class="download">Download File</a></td>`;
      const box = row.querySelector("input");
      box.dataset.node = file.node;
      box.dataset.name = file.name;
      box.setAttribute("aria-label", `Choose ${file.name} of ${file.node}`);
      const link = row.querySelector("a");
      link.href = `/api/files/${encodeURIComponent(file.node)}/${encodeURIComponent(file.name)}`;
      link.setAttribute("download", file.name);
      link.setAttribute("aria-label", `Download ${file.name} of ${file.node}`);
      body.appendChild(row);
    }
    text(row.querySelector(".node"), file.node);
    text(row.querySelector(".file"), file.name);
    text(row.querySelector(".iface"), file.interface);
    text(row.querySelector(".size"), file.size);
    text(row.querySelector(".packets"), number(file.packets));
    text(row.querySelector(".first"), time(file.firstPacketAt));
    text(row.querySelector(".last"), time(file.lastPacketAt));
    text(row.querySelector(".state"), file.state);
  }
  for (const row of [...body.querySelectorAll("tr")]) {
    if (!seen.has(row.dataset.key)) row.remove();
  }
  $("#files-empty").hidden = listing.files.length > 0;
  if (listing.errors.length) $("#files-status").textContent = listing.errors.join("; ");
}

function downloadMerged() {
  const files = chosenFiles();
  if (files.length === 0) {
    $("#files-status").textContent = "Tick the files to merge first.";
    return;
  }
  const query = files.map(f => `file=${encodeURIComponent(`${f.node}/${f.name}`)}`).join("&");
  const link = document.createElement("a");
  link.href = `/api/merged?${query}`;
  link.download = "";
  document.body.appendChild(link);
  link.click();
  link.remove();
  $("#files-status").textContent = `Merging ${files.length} file(s) into one pcapng…`;
}

async function deleteFiles() {
  const files = chosenFiles();
  if (files.length === 0) {
    $("#files-status").textContent = "Tick the files to delete first.";
    return;
  }
  if (!window.confirm(`Delete ${files.length} capture file(s)? This cannot be undone.\n\n${files.map(fileKey).join("\n")}`)) return;
  try {
    const result = await postJson("/api/files/delete", { files });
    $("#files-status").textContent = `Deleted ${result.deleted.length} file(s).` + (result.errors.length ? ` Not deleted: ${result.errors.join("; ")}` : "");
  } catch (error) {
    $("#files-status").textContent = error.message;
  }
  refreshFiles();
}

// ---- wiring ---------------------------------------------------------------------------------------------------------

$("#capture-form").addEventListener("submit", event => { event.preventDefault(); submit("/api/captures/start", "started"); });
$("#save-settings").addEventListener("click", async () => { await submit("/api/setup", "settings stored"); interfaceCache.clear(); showApplyingLimits(); });
$("#filter").addEventListener("input", scheduleFilterCheck);
$("#filter").addEventListener("blur", checkFilter);
$("#nodes tbody").addEventListener("change", event => { if (event.target.matches("input.choose-node") && $("#filter").value.trim()) scheduleFilterCheck(); });
$("#stop").addEventListener("click", stopCapture);
$("#download-merged").addEventListener("click", downloadMerged);
$("#delete-files").addEventListener("click", deleteFiles);
$("#files-all").addEventListener("change", event => document.querySelectorAll("#files tbody input[type=checkbox]").forEach(box => { box.checked = event.target.checked; }));

refreshOverview();
refreshFiles();
setInterval(refreshOverview, 1000);
setInterval(refreshFiles, 2000);
