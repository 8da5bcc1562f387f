// Bulk upload: send the chosen files (or a folder, or zips) to the API with the CSRF header,
// then follow each batch live (Server-Sent Events) and show its rejection report.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const csrf = form.querySelector('input[name="csrf"]').value;
  const status = document.getElementById("upload-status");
  const bar = document.getElementById("upload-progress");
  const errorBox = document.getElementById("upload-error");
  const list = document.getElementById("batches");
  // One request holds at most this much; a bigger folder becomes several batches.
  const CHUNK_FILES = 500;
  const CHUNK_BYTES = 512 * 1024 * 1024;
  const STATES = { queued: "รอคิว", running: "กำลังนำเข้า", done: "เสร็จแล้ว",
                   interrupted: "หยุดกลางคัน", failed: "ล้มเหลว" };
  const th = (n) => String(n).replace(/[0-9]/g, (d) => "๐๑๒๓๔๕๖๗๘๙"[d]);

  function chosen() {
    const files = [];
    for (const input of form.querySelectorAll('input[type="file"]')) {
      for (const f of input.files) files.push([f.webkitRelativePath || f.name, f]);
    }
    return files;
  }

  function chunks(files) {
    const out = [];
    let cur = [], size = 0;
    for (const item of files) {
      if (cur.length && (cur.length >= CHUNK_FILES || size + item[1].size > CHUNK_BYTES)) {
        out.push(cur); cur = []; size = 0;
      }
      cur.push(item); size += item[1].size;
    }
    if (cur.length) out.push(cur);
    return out;
  }

  function send(chunk, done, total) {
    return new Promise((resolve, reject) => {
      const data = new FormData();
      for (const [name, file] of chunk) data.append("files", file, name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/ingest");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) bar.value = Math.round(100 * (done + e.loaded / e.total) / total);
      };
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 202 && body) resolve(body);
        else reject(new Error(body && body.error ? body.error.message : "อัปโหลดไม่สำเร็จ (" + xhr.status + ")"));
      };
      xhr.onerror = () => reject(new Error("ติดต่อเซิร์ฟเวอร์ไม่ได้"));
      xhr.send(data);
    });
  }

  function update(section, b) {
    const progress = section.querySelector("progress");
    progress.max = b.total || 1;
    progress.value = b.done;
    section.dataset.state = b.state;
    section.querySelector(".state").textContent = b.state_th || STATES[b.state] || b.state;
    section.querySelector(".counts").textContent =
      th(b.done) + "/" + th(b.total) + " ไฟล์ · จัดเก็บ " + th(b.stored) + " · ไม่รับ " +
      th(b.rejected) + " · ซ้ำ " + th(b.duplicates);
  }

  function cell(row, text, tag) {
    const td = document.createElement(tag || "td");
    td.textContent = text;
    row.appendChild(td);
  }

  async function report(section, id) {
    const r = await fetch("/api/v1/batches/" + id, { credentials: "same-origin" });
    if (!r.ok) return;
    const b = await r.json();
    update(section, b);
    const box = section.querySelector(".report");
    box.textContent = "";
    const bad = b.items.filter((i) => i.status !== "stored");
    const p = document.createElement("p");
    p.className = bad.length ? "warn" : "ok";
    p.textContent = bad.length ? "ไฟล์ที่ไม่รับหรือซ้ำ " + th(bad.length) + " ไฟล์" : "จัดเก็บครบทุกไฟล์";
    box.appendChild(p);
    if (bad.length) {
      const table = document.createElement("table");
      const head = table.createTHead().insertRow();
      for (const h of ["ไฟล์", "ผล", "เหตุผลและสิ่งที่ต้องทำ"]) cell(head, h, "th");
      const body = table.createTBody();
      for (const i of bad) {
        const row = body.insertRow();
        cell(row, i.file); cell(row, i.status_th); cell(row, i.reasons_th.join(", "));
      }
      box.appendChild(table);
    }
  }

  function poll(section, id) {
    fetch("/api/v1/batches/" + id, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((b) => {
        if (!b) return;
        update(section, b);
        if (b.state === "queued" || b.state === "running") setTimeout(() => poll(section, id), 2000);
        else report(section, id);
      });
  }

  function follow(section, id) {
    if (!window.EventSource) { poll(section, id); return; }
    const es = new EventSource("/api/v1/batches/" + id + "/events");
    es.addEventListener("progress", (e) => update(section, JSON.parse(e.data)));
    es.addEventListener("done", (e) => {
      es.close();
      update(section, JSON.parse(e.data));
      report(section, id);
    });
    es.onerror = () => { es.close(); setTimeout(() => poll(section, id), 1000); };
  }

  function addBatch(body) {
    const none = document.getElementById("no-batches");
    if (none) none.remove();
    const section = document.getElementById("batch-template").content.firstElementChild.cloneNode(true);
    section.dataset.batch = body.batch_id;
    const link = section.querySelector("a");
    link.href = "/batches/" + body.batch_id;
    link.textContent = "ชุดใหม่ " + new Date().toLocaleString("th-TH");
    const progress = section.querySelector("progress");
    progress.id = "p-" + body.batch_id;
    section.querySelector("label").htmlFor = progress.id;
    list.prepend(section);
    update(section, { total: body.total, done: 0, stored: 0, rejected: 0, duplicates: 0,
                      state: body.state });
    follow(section, body.batch_id);
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    errorBox.hidden = true;
    const files = chosen();
    if (!files.length) {
      errorBox.textContent = "กรุณาเลือกไฟล์ โฟลเดอร์ หรือไฟล์ ZIP";
      errorBox.hidden = false;
      return;
    }
    const button = document.getElementById("upload-button");
    button.disabled = true;
    status.hidden = false;
    bar.value = 0;
    const parts = chunks(files);
    try {
      for (let n = 0; n < parts.length; n++) addBatch(await send(parts[n], n, parts.length));
      form.reset();
    } catch (err) {
      errorBox.textContent = err.message;
      errorBox.hidden = false;
    } finally {
      button.disabled = false;
      status.hidden = true;
    }
  });

  for (const section of list.querySelectorAll(".batch[data-batch]")) {
    const state = section.dataset.state;
    if (state === "queued" || state === "running") follow(section, section.dataset.batch);
  }
})();
