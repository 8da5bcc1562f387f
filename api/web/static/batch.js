// The batch page: follow the batch live, then reload to show every file's result.
"use strict";
(function () {
  const section = document.getElementById("batch");
  if (!section) return;
  const state = section.dataset.state;
  if (state !== "queued" && state !== "running") return;
  const id = section.dataset.batch;
  const th = (n) => String(n).replace(/[0-9]/g, (d) => "๐๑๒๓๔๕๖๗๘๙"[d]);
  function update(b) {
    const progress = section.querySelector("progress");
    progress.max = b.total || 1;
    progress.value = b.done;
    section.querySelector(".state").textContent = b.state_th;
    section.querySelector(".counts").textContent =
      th(b.done) + "/" + th(b.total) + " ไฟล์ · จัดเก็บ " + th(b.stored) + " · ไม่รับ " +
      th(b.rejected) + " · ซ้ำ " + th(b.duplicates);
  }
  function poll() {
    fetch("/api/v1/batches/" + id, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((b) => {
        if (!b) return;
        update(b);
        if (b.state === "queued" || b.state === "running") setTimeout(poll, 2000);
        else window.location.reload();
      });
  }
  if (!window.EventSource) { poll(); return; }
  const es = new EventSource("/api/v1/batches/" + id + "/events");
  es.addEventListener("progress", (e) => update(JSON.parse(e.data)));
  es.addEventListener("done", () => { es.close(); window.location.reload(); });
  es.onerror = () => { es.close(); setTimeout(poll, 1000); };
})();
