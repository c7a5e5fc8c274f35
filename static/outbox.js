// Tsuzuri outbox: every inline save goes through here, so nothing written is lost to the network.
//
// A save is stored in IndexedDB *before* it is sent (write-ahead), with a client-made
// Idempotency-Key, then sent; the server answers a replay with its first answer, so an op can be
// sent again safely. Without a network the op waits, a preview of it stays on the page (and comes
// back after a reload), and it is sent on load, `online`, tab focus, a timer or "sync now",
// oldest first, one tab at a time. DESIGN.md §5, docs/decisions.md "Offline writing".
(() => {
  "use strict";

  // Only for the logged-in owner; the login page must not make storage that logout just wiped.
  if (!window.indexedDB || !window.crypto || !crypto.randomUUID || !document.body.dataset.user) {
    return;
  }

  const DB_NAME = "tsuzuri";
  const STORE = "ops";
  const DRAFTS = "drafts";
  const RETRY_MS = 30000;
  const bar = document.getElementById("outbox");
  const text = (key) => (bar ? bar.dataset[key] || "" : "");

  // IndexedDB, promised.

  // One connection for the page's life, closed when something (logout deleting the database,
  // a newer version of this script) needs it gone.
  let connection = null;
  function openDb() {
    connection ||= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "opId" });
        if (!db.objectStoreNames.contains(DRAFTS)) db.createObjectStore(DRAFTS, { keyPath: "key" });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); connection = null; };
        db.onclose = () => { connection = null; };
        resolve(db);
      };
      request.onerror = () => { connection = null; reject(request.error); };
    });
    return connection;
  }

  async function withStore(mode, work, storeName = STORE) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const result = work(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      tx.onerror = () => reject(tx.error);
    });
  }

  const putOp = (op) => withStore("readwrite", (store) => store.put(op));
  // A new op and the end of its editor's draft, in one transaction: one write to wait for
  // before the send, and never a draft forgotten without its op stored.
  async function storeOp(op, form) {
    const db = await openDb();
    const editor = form.matches("[data-editor], [data-item-editor]");
    return new Promise((resolve, reject) => {
      const tx = db.transaction(editor ? [STORE, DRAFTS] : [STORE], "readwrite");
      tx.objectStore(STORE).put(op);
      if (editor) tx.objectStore(DRAFTS).delete(draftKey(form));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  const deleteOp = (opId) => withStore("readwrite", (store) => store.delete(opId));
  // Every record, oldest first. One that cannot be sent (damaged storage, an older version's
  // shape) is still listed: flush() marks it refused, so it is shown, never silently skipped.
  const isSendable = (op) =>
    typeof op.url === "string" && op.url.startsWith("/") && typeof op.body === "string";
  async function allOps() {
    const ops = (await withStore("readonly", (store) => store.getAll())) || [];
    return ops.filter((op) => op && op.opId)
      .sort((a, b) => (Number(a.createdAt) || 0) - (Number(b.createdAt) || 0));
  }
  window.tsuzuriOutbox = { allOps };

  // Taking over the inline forms.

  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  function targetOf(form) {
    const holder = form.closest("[hx-target]");
    const target = holder ? holder.getAttribute("hx-target") : "this";
    if (target === "this") {
      const self = form.getAttribute("hx-target") === "this" ? form : holder;
      return self && self.id ? `#${self.id}` : null;
    }
    return target;
  }

  const entityOf = (url) => (url.match(/\/(entries|items|reading)\/[0-9a-f-]{36}\//) || [""])[0];

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!form.matches("form[hx-post]") || form.matches("[data-logout]")) return;
      event.preventDefault();
      event.stopImmediatePropagation();  // the outbox sends it, not htmx
      clearTimeout(draftTimers.get(form));  // what was typed goes with the op, not into a draft
      // A new object's uuid is made per submit, not kept in the form: two quick submits (Enter,
      // type the next item, Enter) must never share one and turn the second into a replay.
      const uuidField = form.querySelector("input[name=uuid]");
      const data = new FormData(form, event.submitter || undefined);
      if (uuidField && !uuidField.value) data.set("uuid", crypto.randomUUID());
      data.delete("csrfmiddlewaretoken");
      const submitted = JSON.stringify(fieldsOf(form));
      const body = new URLSearchParams(data).toString();
      const op = {
        opId: crypto.randomUUID(),
        url: form.getAttribute("hx-post"),
        body,
        target: targetOf(form),
        swap: (form.closest("[hx-swap]") || form).getAttribute("hx-swap") || "outerHTML",
        entity: entityOf(form.getAttribute("hx-post")),
        baseRevision: data.get("base_revision"),
        preview: previewOf(form, data),
        createdAt: stamp(),
        state: "pending",
      };
      await storeOp(op, form);  // written before the first send: a killed tab loses nothing
      if ((await send(op)) !== DONE) {
        announce("queued");
        showPreview(op);
        const typedSince = JSON.stringify(fieldsOf(form)) !== submitted;  // the next one, already
        if ((form.id === "new-entry" || form.matches("[data-item-add]")) && !typedSince) resetForm(form);
      }
      updateBar();
    },
    true,
  );

  // The queue's order: the time of writing, never the same twice (IndexedDB returns records by
  // opId, a random uuid, so two ops of one millisecond could otherwise swap).
  let lastStamp = 0;
  const stamp = () => (lastStamp = Math.max(Date.now(), lastStamp + 0.001));

  function resetForm(form) {
    form.reset();
    const uuidField = form.querySelector("input[name=uuid]");
    if (uuidField) uuidField.value = "";
  }

  // Sending one op: DONE (answered, out of the queue), WAIT (try again later; later ops wait
  // too, to keep the order) or REFUSED (kept and shown; later ops go on).
  const DONE = "done";
  const WAIT = "wait";
  const REFUSED = "refused";

  async function send(op) {
    if (!isSendable(op)) {
      await putOp({ ...op, state: "refused", reason: "corrupt" });
      return REFUSED;
    }
    const token = csrfToken();  // read once: document.cookie asks the browser's network process
    let response;
    try {
      response = await fetch(op.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Idempotency-Key": op.opId,
          "HX-Request": "true",
          "HX-Current-URL": location.href,
          "X-CSRFToken": token,
        },
        body: `${op.body}&csrfmiddlewaretoken=${encodeURIComponent(token)}`,
      });
    } catch (networkGone) {
      return WAIT;
    }
    if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
      await putOp({ ...op, state: "needs-login" });
      return WAIT;
    }
    if (response.status >= 500 || response.status === 429) return WAIT;
    if (response.status === 409 && response.headers.get("Content-Type")?.includes("problem+json")) {
      return WAIT;  // the same op is still being applied: try again later
    }
    if (response.status >= 400 && response.status !== 409) {
      await putOp({ ...op, state: "refused", reason: "status", status: response.status });
      return REFUSED;  // kept, shown to the user; never dropped silently
    }
    // 2xx, or 409: the save lost a race and the server keeps it as a conflict copy.
    const html = await response.text();
    // The answer is shown while the op leaves the queue, not after: should the tab die in
    // between, the op is sent again and the ledger answers it with this same answer.
    const sent = deleteOp(op.opId);
    const shown = apply(op, response, html);
    announce(saidOf(op, response, html));
    // A conflict swapped in here says so itself (its section is role=alert); one whose place is
    // on another page gets the notice under the bar, with a link there.
    if (response.status === 409 && !shown) showConflict(response.headers.get("X-Conflict-Location"));
    await sent;
    await rebase(op, html);
    return DONE;
  }

  // What the live region says (base.html #announcer, app.js), once: nothing for a form sent back
  // with its errors or for a conflict, which are shown and announced where they are (role=alert).
  const announce = (said) =>
    said && document.dispatchEvent(new CustomEvent("tsuzuri:announce", { detail: said }));
  function saidOf(op, response, html) {
    if (response.status === 409) return null;
    if (/\/delete\/$/.test(op.url)) return "deleted";
    if (/\/restore\/$/.test(op.url)) return "restored";
    return /class="(field|form)-errors"/.test(html) ? null : "saved";
  }

  // Swaps the answer in where the op's form was; false when that place is not on this page.
  function apply(op, response, html) {
    const target = document.querySelector(response.headers.get("HX-Retarget") || op.target || "");
    const pending = document.querySelector(`[data-pending-op="${op.opId}"]`);
    const shown = Boolean(target && window.htmx);
    if (shown) {
      htmx.swap(target, html, { swapStyle: response.headers.get("HX-Reswap") || op.swap });
    }
    if (pending && pending.isConnected && pending !== target) pending.remove();
    const triggers = response.headers.get("HX-Trigger");
    if (triggers && window.htmx) {
      const names = triggers.trim().startsWith("{")
        ? Object.keys(JSON.parse(triggers))
        : triggers.split(",").map((name) => name.trim());
      for (const name of names.filter(Boolean)) htmx.trigger(document.body, name);
    }
    return shown;
  }

  // Two queued edits of one entry both started from the same revision: once the first is saved,
  // the second must build on the revision it produced, or it would conflict with itself.
  async function rebase(op, html) {
    if (!op.entity || !op.baseRevision) return;
    const match = html.match(/name="base_revision" value="(\d+)"/);
    if (!match) return;
    for (const later of await allOps()) {
      if (later.entity === op.entity && later.baseRevision === op.baseRevision && isSendable(later)) {
        const body = later.body.replace(/(^|&)base_revision=\d+/, `$1base_revision=${match[1]}`);
        await putOp({ ...later, body, baseRevision: match[1] });
      }
    }
  }

  // Replaying what waits: oldest first, one tab at a time, stopping at the first op that waits.

  // A flush asked for while one runs is not dropped but runs once that one ends: the `online`
  // event often comes while the load's flush still waits for a send made offline, and would
  // otherwise leave the queue to the 30-second timer.
  let flushing = false;
  let again = false;
  async function flush() {
    if (flushing) {
      again = true;
      return;
    }
    flushing = true;
    const run = async () => {
      for (const op of await allOps()) {
        if (op.state === "refused") continue;
        if ((await send(op)) === WAIT) break;
      }
    };
    try {
      do {
        again = false;
        if (navigator.locks) await navigator.locks.request("tsuzuri-outbox", run);
        else await run();
      } while (again);
    } finally {
      flushing = false;
      updateBar();
    }
  }
  window.tsuzuriOutbox.flush = flush;

  // Drafts: every editor keeps what is typed (never mid-conversion) until it is saved, and offers
  // it back after a crash or a reload.

  const DRAFT_FIELDS = "input[type=text], input[type=url], textarea";
  const draftKey = (form) => {
    const day = form.querySelector("input[name=date]");
    return `${form.getAttribute("hx-post")}|${day ? day.value : ""}`;
  };
  const fieldsOf = (form) =>
    Object.fromEntries([...form.querySelectorAll(DRAFT_FIELDS)].map((f) => [f.name, f.value]));
  const getDraft = (key) => withStore("readonly", (store) => store.get(key), DRAFTS);
  const forgetDraft = (form) =>
    form.matches("[data-editor], [data-item-editor]")
      ? withStore("readwrite", (store) => store.delete(draftKey(form)), DRAFTS)
      : Promise.resolve();

  const draftTimers = new WeakMap();
  function keepDraft(form) {
    clearTimeout(draftTimers.get(form));
    draftTimers.set(form, setTimeout(() => {
      if (form.dataset.composing) return;  // kana not yet converted are not the user's text yet
      const fields = fieldsOf(form);
      if (!Object.values(fields).some((value) => value.trim())) return;
      withStore("readwrite", (store) => store.put({ key: draftKey(form), fields, savedAt: Date.now() }), DRAFTS);
    }, 300));
  }
  const editorOf = (target) => target.closest && target.closest("form[data-editor], form[data-item-editor]");
  document.addEventListener("input", (event) => {
    const form = editorOf(event.target);
    if (form && !event.isComposing) keepDraft(form);
  });
  document.addEventListener("compositionstart", (event) => {
    const form = editorOf(event.target);
    if (form) form.dataset.composing = "1";
  });
  document.addEventListener("compositionend", (event) => {
    const form = editorOf(event.target);
    if (form) {
      delete form.dataset.composing;
      keepDraft(form);
    }
  });

  async function offerDraft(form) {
    if (form.dataset.draftOffered) return;
    form.dataset.draftOffered = "1";
    const draft = await getDraft(draftKey(form)).catch(() => null);
    const current = fieldsOf(form);
    if (!draft || Object.entries(draft.fields).every(([name, value]) => current[name] === value)) return;
    const offer = document.createElement("p");
    offer.className = "notice draft-offer";
    offer.setAttribute("role", "status");
    const time = new Date(draft.savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    offer.append(`${text("draftLabel")} (${time}) `);
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = text("draftRestore");
    restore.addEventListener("click", () => {
      for (const [name, value] of Object.entries(draft.fields)) {
        const field = form.querySelector(`[name="${name}"]`);
        if (field) field.value = value;
      }
      offer.remove();
    });
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "quiet";
    discard.textContent = text("draftDiscard");
    discard.addEventListener("click", () => { forgetDraft(form); offer.remove(); });
    offer.append(restore, " ", discard);
    form.prepend(offer);
  }
  const offerDrafts = (root) =>
    root.querySelectorAll("form[data-editor], form[data-item-editor]").forEach(offerDraft);
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt instanceof Element) {
      if (event.detail.elt.matches("form[data-editor], form[data-item-editor]")) offerDraft(event.detail.elt);
      else offerDrafts(event.detail.elt);
    }
  });

  // What the page shows of waiting ops.

  function previewOf(form, data) {
    const title = data.get("title") || data.get("text") || "";
    const body = data.get("body") || data.get("notes") || "";
    if (!title && !body) return null;
    const target = targetOf(form);
    let place;
    if (form.id === "new-entry") place = { into: "#entry-list", how: "append" };
    else if (target && target === `#${form.id}`) place = { replace: target };  // an edit form
    else place = { into: target, how: form.matches("[data-item-add]") ? "list" : "prepend" };
    return { title, body, place };
  }

  function showPreview(op) {
    if (!op.preview || document.querySelector(`[data-pending-op="${op.opId}"]`)) return;
    const card = document.createElement("div");
    card.id = `pending-${op.opId}`;
    card.className = "pending-card";
    card.dataset.pendingOp = op.opId;
    const badge = document.createElement("span");
    badge.className = "badge pending";
    badge.textContent = text("pendingLabel");
    const title = document.createElement("strong");
    title.textContent = op.preview.title;
    const body = document.createElement("p");
    body.textContent = op.preview.body;
    card.append(badge, " ", title, body);
    const place = op.preview.place || {};
    if (place.replace) {
      const shown = document.querySelector(place.replace);
      if (!shown) return;
      card.id = shown.id;  // the server's answer swaps into the same place once it is sent
      shown.replaceWith(card);
      return;
    }
    const box = place.into && document.querySelector(place.into);
    if (!box) return;
    if (place.how === "list") (box.querySelector(".kpt-list") || box).append(card);
    else if (place.how === "append") box.append(card);
    else box.prepend(card);
  }

  async function updateBar() {
    if (!bar) return;
    const ops = await allOps().catch(() => []);
    const refused = ops.filter((op) => op.state === "refused");
    const waiting = ops.length - refused.length;
    const needsLogin = ops.some((op) => op.state === "needs-login");
    bar.hidden = ops.length === 0;
    bar.dataset.count = String(ops.length);
    bar.dataset.waiting = String(waiting);
    const count = bar.querySelector("[data-outbox-count]");
    count.textContent = text("countLabel").replace("{n}", waiting);
    count.hidden = waiting === 0;
    bar.querySelector("[data-outbox-sync]").hidden = waiting === 0;
    bar.querySelector("[data-outbox-login]").hidden = !needsLogin;
    bar.querySelector("[data-outbox-refused]").hidden = refused.length === 0;
    showRefused(refused);
  }

  // A refused op stays on the device, listed with why and with its text, until the user lets it
  // go: nothing typed disappears because the server could not take it.
  function refusalOf(op) {
    if (op.reason === "corrupt") return text("refusedCorrupt");
    const key = op.status === 404 || op.status === 410 ? "refusedGone" : "refusedOther";
    return text(key).replace("{status}", op.status || "?");
  }

  function textOf(op) {
    if (op.preview && (op.preview.title || op.preview.body)) {
      return [op.preview.title, op.preview.body].filter(Boolean).join("\n");
    }
    if (typeof op.body !== "string") return "";
    try {
      const fields = new URLSearchParams(op.body);
      return ["title", "text", "body", "summary", "notes", "impressions"]
        .map((name) => fields.get(name)).filter(Boolean).join("\n");
    } catch (unreadable) {
      return "";
    }
  }

  function showRefused(refused) {
    const list = bar.querySelector("[data-outbox-refused-list]");
    if (!list) return;
    list.replaceChildren(...refused.map((op) => {
      const item = document.createElement("li");
      item.dataset.refusedOp = op.opId;
      const why = document.createElement("span");
      why.textContent = refusalOf(op);
      item.append(why);
      const kept = textOf(op);
      if (kept) {
        const quote = document.createElement("blockquote");
        quote.textContent = kept;
        item.append(quote);
      }
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "quiet";
      discard.textContent = text("discardLabel");
      discard.addEventListener("click", async () => {
        if (!window.confirm(text("discardQuestion"))) return;
        await deleteOp(op.opId);
        document.querySelector(`[data-pending-op="${CSS.escape(String(op.opId))}"]`)?.remove();
        updateBar();
      });
      item.append(discard);
      return item;
    }));
    list.hidden = refused.length === 0;
  }

  // A replayed save that lost a race: say so, with a link to where both versions wait (the
  // save was made on another page than this one).
  function showConflict(location) {
    const notices = document.getElementById("sync-notices");
    if (!notices || !bar) return;
    const notice = document.createElement("li");
    notice.className = "notice";
    notice.setAttribute("role", "alert");
    notice.append(`${text("conflictLabel")} `);
    if (location && location.startsWith("/")) {
      const link = document.createElement("a");
      link.href = location;
      link.textContent = text("conflictOpen");
      notice.append(link, " ");
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "link-button";
    close.textContent = text("closeLabel");
    close.addEventListener("click", () => notice.remove());
    notice.append(close);
    notices.append(notice);
  }

  bar?.querySelector("[data-outbox-sync]")?.addEventListener("click", () => flush());

  // A GET that htmx could not send (the edit form, offline): go there as a whole page, which the
  // service worker may have kept.
  document.addEventListener("htmx:sendError", (event) => {
    const config = event.detail.requestConfig;
    if (config && config.verb === "get" && config.path) location.assign(config.path);
  });

  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(() => { if (bar && bar.dataset.waiting && bar.dataset.waiting !== "0") flush(); }, RETRY_MS);
  document.addEventListener("DOMContentLoaded", async () => {
    for (const op of await allOps().catch(() => [])) {
      try {
        showPreview(op);
      } catch (damaged) {
        // a damaged record has no place on the page; the bar lists it once flush() looks at it
      }
    }
    offerDrafts(document);
    updateBar();
    flush();
  });
})();
