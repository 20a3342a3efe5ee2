// The page's one script: sends the chosen files to the API and shows what the API renders (the
// report page of `fzcheck audit --format html`, the batch page of `fzcheck batch --format html`)
// in a frame. The browser keeps the files, so a download posts them again with another format
// and the server keeps nothing between requests. Requests go by XMLHttpRequest, whose upload
// events give the upload's progress (fetch has none); a batch asks for progress=1 and reads the
// server's lines as they come, one per file scored, the last one carrying the batch page.
"use strict";
(function () {
  const config = JSON.parse(document.body.dataset.config);
  const $ = (id) => document.getElementById(id);
  const form = $("check"), input = $("file"), drop = $("drop");
  const LABELS = { json: "JSON", html: "网页", docx: "Word 审查意见", xlsx: "Excel 汇总表", csv: "CSV", jsonl: "JSON Lines" };
  const UNREACHABLE = "无法连接服务器：请确认 fzcheck serve 仍在运行，然后重试";
  let chosen = [];
  if (config.token) $("token-field").hidden = false;

  function choose(list) {
    chosen = Array.from(list);
    $("chosen").textContent = chosen.length ? `已选择 ${chosen.length} 个文件：${chosen.map((f) => f.name).join("、")}` : "";
    const size = bytes();
    show(size > config.maxUpload ? `所选文件共 ${megabytes(size)} MB，超过一次 ${config.maxUpload / 1e6} MB 的上限` : "");
  }
  input.addEventListener("change", () => choose(input.files));
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    event.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => { event.preventDefault(); choose(event.dataTransfer.files); });

  const single = () => chosen.length === 1 && !chosen[0].name.toLowerCase().endsWith(".zip");
  const bytes = () => chosen.reduce((sum, file) => sum + file.size, 0);
  const megabytes = (size) => (size / 1e6).toFixed(1);

  function body() {
    const data = new FormData();
    chosen.forEach((file) => data.append("file", file, file.name));
    ["year", "published", "kind", "rules"].forEach((name) => data.append(name, $(name).value));
    return data;
  }

  // POST the files; resolves with the body (text, or a Blob with `blob`). `uploaded(fraction)` is
  // told as the upload goes; `line(object)` is given each complete line of an NDJSON answer as it
  // arrives, and may throw to end the request with its message.
  function post(path, query, { blob = false, uploaded = null, line = null } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `${path}?${new URLSearchParams(query)}`);
      if (config.token) xhr.setRequestHeader("Authorization", `Bearer ${$("token").value}`);
      xhr.responseType = blob ? "blob" : "text";
      if (uploaded) {
        xhr.upload.addEventListener("progress", (event) => { if (event.lengthComputable) uploaded(event.loaded / event.total); });
        xhr.upload.addEventListener("load", () => uploaded(1));
      }
      let read = 0;
      const lines = () => {
        const text = xhr.responseText, end = text.lastIndexOf("\n") + 1;
        const fresh = text.slice(read, end).split("\n").filter(Boolean);
        read = Math.max(read, end);
        fresh.forEach((one) => line(JSON.parse(one)));
      };
      const failed = (problem) => { xhr.abort(); reject(problem); };
      if (line) {
        xhr.addEventListener("progress", () => {
          if (xhr.status !== 200) return;
          try { lines(); } catch (problem) { failed(problem); }
        });
      }
      xhr.addEventListener("error", () => reject(new Error(UNREACHABLE)));
      xhr.addEventListener("load", async () => {
        if (xhr.status >= 400) { reject(new Error(await problemOf(xhr))); return; }
        try { if (line) lines(); resolve(xhr.response); } catch (problem) { reject(problem); }
      });
      xhr.send(body());
    });
  }

  async function problemOf(xhr) {
    const text = xhr.responseType === "blob" ? await xhr.response.text() : xhr.responseText;
    try { return JSON.parse(text).error || `服务器返回 ${xhr.status}`; } catch (ignored) { return `服务器返回 ${xhr.status}`; }
  }

  function show(message) { $("problem").textContent = message; $("problem").hidden = !message; }
  // The live region says what is happening now (announced); the bar and the line beside it, which
  // change with every file, are outside it, so a screen reader is not read a hundred file names.
  function busy(text) {
    $("status-text").textContent = text || ""; $("submit").disabled = Boolean(text);
    if (!text) meter(null);
  }
  function meter(text, done = 0, total = 0) {
    const bar = $("progress");
    $("progress-line").hidden = text === null;
    $("progress-text").textContent = text || "";
    if (total) { bar.max = total; bar.value = done; } else bar.removeAttribute("value");
  }
  function uploading(fraction) {
    if (fraction < 1) meter(`正在上传 ${Math.round(fraction * 100)}%（共 ${megabytes(bytes())} MB）`, fraction, 1);
    else meter("已上传，正在检查…");
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
          const blob = await post(path, { format }, { blob: true });
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

  // The batch page, from the last line of the progress the server sends as it scores each file.
  async function batch() {
    let page = null;
    await post("/api/batch", { format: "html", progress: "1" }, {
      uploaded: uploading,
      line: (data) => {
        if ("error" in data) throw new Error(data.error);
        if ("result" in data) page = data.result;
        else meter(`已完成 ${data.done}/${data.total}：${data.file}`, data.done, data.total);
      },
    });
    if (page === null) throw new Error("服务器的回答不完整，请重试");
    return page;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("");
    if (!chosen.length) { show("请先选择报告文件"); input.focus(); return; }
    try {
      if (single()) {
        busy(`正在检查 ${chosen[0].name}…`);
        const [page, gate] = await Promise.all([post("/api/audit", { format: "html" }, { uploaded: uploading }),
                                                post("/api/precheck", { format: "json" })]);
        verdict(JSON.parse(gate));
        frame(page, false);
        downloads("/api/audit", config.auditFormats);
      } else {
        busy(`正在检查 ${chosen.length} 个文件，文件多时需要几分钟…`);
        $("verdict").hidden = true;
        frame(await batch(), true);
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
