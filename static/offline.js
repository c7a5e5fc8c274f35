// Tsuzuri offline support, page side: the service worker, keeping recent pages for reading
// offline, the connection status, and clearing this device's copies at logout.
(() => {
  "use strict";

  const WARM_EVERY_MS = 24 * 60 * 60 * 1000;
  const status = document.getElementById("connection");

  function showStatus() {
    if (!status) return;
    const online = navigator.onLine;
    status.dataset.state = online ? "online" : "offline";
    status.textContent = online ? "" : status.dataset.offlineText;
  }

  // Offline mode needs a secure context (HTTPS, or localhost): say so rather than fail quietly.
  if (!window.isSecureContext || !("serviceWorker" in navigator)) {
    const notice = document.getElementById("insecure-notice");
    if (notice) notice.hidden = false;
    return;
  }

  window.addEventListener("online", showStatus);
  window.addEventListener("offline", showStatus);
  showStatus();

  // Only for the logged-in owner: after logout nothing should come back on the login page.
  if (document.body.dataset.user) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  // Keep the last days and weeks for reading offline: after login, then about once a day, and
  // again when a new worker takes over (it started with empty caches of its own version).
  async function warm(again = false) {
    if (!document.body.dataset.user || !navigator.onLine) return;
    const registration = await navigator.serviceWorker.ready;
    const key = `tsuzuri-warmed-${document.body.dataset.user}`;
    const version = registration.active && registration.active.scriptURL;
    const last = JSON.parse(localStorage.getItem(key) || "{}");
    if (!again && last.version === version && Date.now() - last.at < WARM_EVERY_MS) return;
    const response = await fetch("/offline/warm.json", { credentials: "same-origin" });
    if (!response.ok) return;
    const { urls } = await response.json();
    registration.active.postMessage({ type: "warm", urls });
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), version }));
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "warmed") {
      document.dispatchEvent(new CustomEvent("tsuzuri:warmed", { detail: event.data }));
    }
  });
  window.addEventListener("load", () => warm().catch(() => {}));
  if (navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener("controllerchange", () => warm(true).catch(() => {}));
  }

  // The offline page lists what this device has kept.
  const savedList = document.querySelector("[data-saved-pages]");
  if (savedList) {
    caches.keys().then(async (names) => {
      const pages = names.filter((name) => name.startsWith("pages-"));
      const paths = new Set();
      for (const name of pages) {
        for (const request of await (await caches.open(name)).keys()) {
          const path = new URL(request.url).pathname;
          if (/^\/(days|weeks)\/\d{4}-\d{2}-\d{2}\/$/.test(path)) paths.add(path);
        }
      }
      for (const path of [...paths].sort().reverse()) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = path;
        const [, kind, date] = path.split("/");
        link.textContent = `${savedList.dataset[kind === "days" ? "dayLabel" : "weekLabel"]} ${date}`;
        item.append(link);
        savedList.append(item);
      }
      savedList.hidden = paths.size === 0;
    });
  }

  // Logout also forgets this device's copies: the worker, its caches and local storage.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-logout]") || form.dataset.cleared) return;
    event.preventDefault();
    const waiting = window.tsuzuriOutbox ? (await window.tsuzuriOutbox.allOps()).length : 0;
    if (waiting && !window.confirm(form.dataset.unsyncedQuestion.replace("{n}", waiting))) return;
    try {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await Promise.all(registrations.map((r) => r.unregister()));
      await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
      if (indexedDB.databases) {
        for (const db of await indexedDB.databases()) indexedDB.deleteDatabase(db.name);
      }
      localStorage.clear();
    } finally {
      form.dataset.cleared = "1";
      form.requestSubmit();
    }
  });
})();
