// The page's one script: sends the chosen files to the API and shows what the API renders (the
// report page of `fzcheck audit --format html`, the batch page of `fzcheck batch --format html`)
// in a frame. The browser keeps the files, so a download posts them again with another format
// and the server keeps nothing between requests.
"use strict";
(function () {
  const config = JSON.parse(document.body.dataset.config);
  const $ = (id) => document.getElementById(id);
  const form = $("check"), input = $("file"), drop = $("drop");
  const LABELS = { json: "JSON", html: "网页", docx: "Word 审查意见", xlsx: "Excel 汇总表", csv: "CSV", jsonl: "JSON Lines" };
  let chosen = [];
  if (config.token) $("token-field").hidden = false;

  function choose(list) {
    chosen = Array.from(list);
    const size = chosen.reduce((sum, file) => sum + file.size, 0);
    $("chosen").textContent = chosen.length ? `已选择 ${chosen.length} 个文件：${chosen.map((f) => f.name).join("、")}` : "";
    if (size > config.maxUpload) show(`所选文件共 ${(size / 1e6).toFixed(1)} MB，超过一次 ${config.maxUpload / 1e6} MB 的上限`);
  }
  input.addEventListener("change", () => choose(input.files));
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    event.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => { event.preventDefault(); choose(event.dataTransfer.files); });

  const single = () => chosen.length === 1 && !chosen[0].name.toLowerCase().endsWith(".zip");

  function body() {
    const data = new FormData();
    chosen.forEach((file) => data.append("file", file, file.name));
    ["year", "published", "kind", "rules"].forEach((name) => data.append(name, $(name).value));
    return data;
  }

  async function post(path, format) {
    const headers = config.token ? { Authorization: `Bearer ${$("token").value}` } : {};
    const response = await fetch(`${path}?format=${format}`, { method: "POST", body: body(), headers });
    if (!response.ok) {
      let message = `服务器返回 ${response.status}`;
      try { message = (await response.json()).error || message; } catch (ignored) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }

  function show(message) { $("problem").textContent = message; $("problem").hidden = !message; }
  function busy(text) {
    $("progress").hidden = !text; $("status-text").textContent = text || ""; $("submit").disabled = Boolean(text);
  }

  function verdict(data) {
    const item = data.verdicts && data.verdicts[0];
    const box = $("verdict");
    box.hidden = !item;
    if (!item) return;
    box.className = `verdict ${item.passed ? "pass" : "fail"}`;
    box.replaceChildren();
    const heading = document.createElement("h3");
    heading.textContent = item.passed ? "预检通过（PASS）：可以报送" : "预检未通过（FAIL）：请先修改再报送";
    const reasons = document.createElement("ul");
    item.reasons.forEach((reason) => { const li = document.createElement("li"); li.textContent = reason; reasons.append(li); });
    box.append(heading, reasons);
  }

  function frame(html, scripted) {
    const view = $("view");
    // The single report's page has no script: same origin, so its height can be read and the
    // frame grows to it. The batch page sorts its tables by script: it runs sandboxed, scrolled.
    view.setAttribute("sandbox", scripted ? "allow-scripts" : "allow-same-origin");
    view.style.height = "";
    view.onload = () => {
      if (!scripted) view.style.height = `${view.contentDocument.documentElement.scrollHeight + 20}px`;
    };
    view.srcdoc = html;
  }

  function downloads(path, formats) {
    const box = $("downloads");
    box.replaceChildren(Object.assign(document.createElement("span"), { textContent: "下载：" }));
    formats.forEach((format) => {
      const button = Object.assign(document.createElement("button"), {
        type: "button", className: "secondary", textContent: LABELS[format] || format,
      });
      button.setAttribute("aria-label", `下载 ${LABELS[format] || format}（.${format}）`);
      button.addEventListener("click", async () => {
        try {
          busy(`正在生成 ${LABELS[format] || format}…`);
          const blob = await (await post(path, format)).blob();
          const link = Object.assign(document.createElement("a"), {
            href: URL.createObjectURL(blob), download: `${single() ? chosen[0].name.replace(/\.[^.]*$/, "") : "评分"}.${format}`,
          });
          document.body.append(link); link.click(); link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 10000);
          busy("");
        } catch (problem) { busy(""); show(problem.message); }
      });
      box.append(button);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("");
    if (!chosen.length) { show("请先选择报告文件"); input.focus(); return; }
    try {
      if (single()) {
        busy(`正在检查 ${chosen[0].name}…`);
        const [page, gate] = await Promise.all([post("/api/audit", "html"), post("/api/precheck", "json")]);
        verdict(await gate.json());
        frame(await page.text(), false);
        downloads("/api/audit", config.auditFormats);
      } else {
        busy(`正在检查 ${chosen.length} 个文件，文件多时需要几分钟…`);
        $("verdict").hidden = true;
        frame(await (await post("/api/batch", "html")).text(), true);
        downloads("/api/batch", config.batchFormats);
      }
      busy("");
      $("status-text").textContent = "检查完成";
      $("result").hidden = false;
      $("result-heading").focus();
    } catch (problem) {
      busy("");
      show(problem.message);
    }
  });
})();
