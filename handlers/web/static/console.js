// The queue refreshes itself every few seconds; canned responses fill the reply box.
// Served from our own origin so the Content-Security-Policy can forbid inline scripts.
(function () {
  const rows = document.getElementById("queue-rows");
  const live = document.getElementById("live");
  if (rows && rows.dataset.src) {
    const refresh = async () => {
      try {
        const response = await fetch(rows.dataset.src, {credentials: "same-origin", cache: "no-store"});
        if (!response.ok) throw new Error(String(response.status));
        // The server rendered (and escaped) this HTML with the same template as the page.
        rows.innerHTML = await response.text();
        if (live) { live.textContent = "live · " + new Date().toLocaleTimeString(); live.classList.remove("stale"); }
      } catch (e) {
        if (live) { live.textContent = "not updating"; live.classList.add("stale"); }
      }
    };
    setInterval(refresh, 3000);
  }
  const canned = document.getElementById("canned");
  if (canned) {
    canned.addEventListener("change", () => {
      const box = document.querySelector("#reply-form textarea");
      if (box && canned.value) box.value = canned.value;
    });
  }
})();
