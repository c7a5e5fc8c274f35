// Tsuzuri: the little behaviour htmx does not give. No eval, no inline handlers (CSP-safe).
(() => {
  "use strict";

  // A Japanese IME reports Enter that commits a conversion as isComposing or keyCode 229
  // (Safari sends 229 even after compositionend). Such a key never saves or submits.
  const isComposing = (event) => event.isComposing || event.keyCode === 229;
  const isField = (target) =>
    target instanceof Element &&
    (target.isContentEditable ||
      target.matches("textarea, select, input:not([type=checkbox], [type=radio], [type=submit], [type=button])"));

  // The CSRF token is read from the cookie at send time, never taken from HTML that may be old.
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.verb === "get") return;  // a GET changes nothing and needs no token
    const token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
      if ("csrfmiddlewaretoken" in event.detail.parameters) {
        event.detail.parameters.csrfmiddlewaretoken = token;
      }
    }
  });

  // Live search asks only for text the IME has committed: while 「えいご」 is being converted,
  // input events carry isComposing, and the committed 「英語」 arrives with compositionend.
  // The search box listens for search-typed (hx-trigger), never for raw keyup or input.
  const searchTyped = (event) => {
    const field = event.target;
    if (!(field instanceof HTMLInputElement) || !field.matches("[data-live-search]")) return;
    if (event.type === "input" && event.isComposing) return;
    field.dispatchEvent(new Event("search-typed", { bubbles: true }));
  };
  document.addEventListener("input", searchTyped);
  document.addEventListener("compositionend", searchTyped);

  const EDITOR_MOVES = { Tab: "indent", "Shift+Tab": "outdent", "Alt+ArrowUp": "up", "Alt+ArrowDown": "down" };
  const keyName = (event) =>
    (event.altKey ? "Alt+" : "") + (event.shiftKey && event.key === "Tab" ? "Shift+" : "") + event.key;

  document.addEventListener("keydown", (event) => {
    const menu = event.key === "Escape" && event.target.closest && event.target.closest("details[open]");
    if (menu && !isComposing(event)) {  // Esc closes a ⋯ menu and gives focus back to its button
      event.preventDefault();
      menu.open = false;
      menu.querySelector("summary").focus();
      return;
    }
    const form = event.target.closest && event.target.closest("form");
    if (!form) return;
    if (isComposing(event)) {
      // The key belongs to the IME: let it convert, but never let it submit a form.
      if (event.key === "Enter" && event.target.matches("input")) event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      const cancel = form.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      } else if (isField(event.target)) {
        event.target.blur();  // out of the field, letters are shortcuts again; Tab goes on from here
      }
    } else if (form.matches("[data-item-editor]")) {
      const move = EDITOR_MOVES[keyName(event)];
      if (move) {  // save the text, then nest or move the item
        event.preventDefault();
        form.querySelector("input[name=then]").value = move;
        form.requestSubmit();
      }
    } else if (form.matches("[data-item-add]") && event.key === "Tab" && !event.altKey) {
      if (changeAddLevel(form, event.shiftKey ? -1 : 1)) event.preventDefault();
    } else if (form.matches("[data-item-add]") && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const asTry = form.querySelector("input[name=is_try]");
      if (asTry) {  // Ctrl/⌘+Enter adds the item as a ★ Try
        event.preventDefault();
        asTry.checked = true;
        form.requestSubmit();
      }
    } else if (form.matches("[data-editor], form[method=post]:not([data-logout])")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Enter" && form.matches("[data-editor]") && event.target.matches("input[type=text]")) {
        // Enter in a title moves on to the body rather than saving half an entry.
        event.preventDefault();
        const body = form.querySelector("textarea");
        if (body) body.focus();
      }
    }
  });

  // Tab / Shift+Tab in "add an item" choose how deep the next item nests: at most one level
  // below the last item. Returns false when the level cannot change, so Tab moves focus on.
  function changeAddLevel(form, step) {
    const select = form.querySelector("select[name=depth]");
    if (!select) return false;
    const deepest = Math.min(Number(form.dataset.lastDepth) + 1, select.options.length - 1);
    const level = Math.max(0, Math.min(Number(select.value) + step, deepest));
    if (level === Number(select.value)) return false;
    select.value = String(level);
    form.dataset.level = String(level);
    return true;
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-item-add] select[name=depth]")) {
      event.target.form.dataset.level = event.target.value;
    }
  });

  // Opening an "add" disclosure means the user is about to type into it.
  document.addEventListener(
    "toggle",
    (event) => {
      if (event.target.matches("details.reading-add[open]")) {
        const field = event.target.querySelector("input:not([type=hidden]), textarea");
        if (field) field.focus();
      }
    },
    true,
  );

  // The week's Markdown, copied with one button (the link to the .md file works without JS).
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-copy-from]");
    if (!button) return;
    const status = document.getElementById(button.getAttribute("aria-describedby"));
    try {
      const response = await fetch(button.dataset.copyFrom, { credentials: "same-origin" });
      await navigator.clipboard.writeText(await response.text());
      status.textContent = button.dataset.done;
    } catch (error) {
      status.textContent = button.dataset.failed;
    }
  });

  const showCopyButtons = (root) => {
    root.querySelectorAll("[data-copy-from][hidden]").forEach((button) => {
      if (navigator.clipboard) button.hidden = false;
    });
  };
  document.addEventListener("DOMContentLoaded", () => showCopyButtons(document));

  // After a swap, put focus where the user will want it: in a form that just opened, or on the
  // entry that just replaced the form they were typing in.
  document.addEventListener("htmx:load", (event) => {
    const swapped = event.detail.elt;
    if (!(swapped instanceof Element) || swapped === document.body) return;
    if (focusAfterDelete(swapped)) return;
    const marked = swapped.matches("[data-focus]") ? swapped : swapped.querySelector("[data-focus]");
    if (marked) {
      // The server marks what was just acted on; a container hands focus to its first field.
      const target = marked.matches("a, button, input, select, textarea")
        ? marked
        : marked.querySelector("input:not([type=hidden]), textarea, select");
      if (target) target.focus();
    } else if (swapped.matches("form[data-editor], form[data-item-editor]") && swapped.id !== "new-entry") {
      const field = swapped.querySelector("input:not([type=hidden]), textarea");
      if (field) field.focus();
    } else if (swapped.matches("article.entry:not(.is-deleted)") && justWrote(swapped)) {
      focusItem(swapped);  // a new entry, saved: focus goes to it, not back to the empty form
    } else if (swapped.matches(ITEMS) && document.activeElement === document.body) {
      focusItem(swapped);  // an edit saved or cancelled: back on what was edited
    }
  });

  // The new entry just sent from #new-entry: the server's answer swaps in a fresh form and, out of
  // band, the saved entry.
  let wroteAt = 0;
  document.addEventListener("submit", (event) => {
    if (event.target.id === "new-entry") wroteAt = Date.now();
  }, true);
  const justWrote = () => {
    const recent = Date.now() - wroteAt < 15000;
    wroteAt = 0;
    return recent;
  };

  // The items a page lists, in reading order: j / k move between them, e edits the one that has
  // focus, and after a delete focus goes to the next one.
  const ITEMS = [
    "article.entry:not(.is-deleted)",
    ".week-diary li li",  // the week's diary: its entries, day by day
    ".kpt-list .item-row:not(form)",
    ".kpt-board li",  // the board's cells
    ".reading-note",
    ".review-row",
    ".search-hit",
    ".week-card",
  ].join(", ");
  const shown = (element) => element.getClientRects().length > 0;
  const listedItems = () => [...document.querySelectorAll(ITEMS)].filter(shown);
  const currentItem = () => document.activeElement?.closest?.(ITEMS) || null;

  function focusItem(item) {
    // A row whose main part is a link focuses that link (Enter opens it); a card focuses itself.
    let target = item.querySelector(
      ":scope > a.item-text, .search-hit-title a, .week-card-head a, .week-diary li > a",
    );
    if (!target) {
      target = item;
      if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }

  function moveThroughItems(step) {
    const items = listedItems();
    if (!items.length) return;
    const at = items.indexOf(currentItem());
    const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : at + step;
    focusItem(items[Math.max(0, Math.min(items.length - 1, next))]);
  }

  const focusFirstField = (root) => {
    const field = root.matches("input, textarea")
      ? root
      : root.querySelector("input:not([type=hidden]), textarea");
    if (field) field.focus();
    return Boolean(field);
  };

  // A delete swaps in its Undo: focus moves to the item after the deleted one (or before it, if
  // it was the last), found by id once the server's answer is in. The Undo stays one key away (u).
  const DELETE_URL = /\/(entries|items|reading)\/[0-9a-f-]{36}\/delete\/$/;
  let afterDelete = null;
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const item = DELETE_URL.test(form.getAttribute("action") || "") && form.closest(ITEMS);
      if (!item) return;
      const items = listedItems();
      const at = items.indexOf(item);
      const candidates = [...items.slice(at + 1), ...items.slice(0, at).reverse()];
      afterDelete = { ids: candidates.map((other) => other.id).filter(Boolean), at: Date.now() };
    },
    true,  // before outbox.js takes the submit over
  );

  function focusAfterDelete(swapped) {
    if (!afterDelete) return false;
    const { ids, at } = afterDelete;
    afterDelete = null;
    if (Date.now() - at > 15000) return false;  // sent much later (offline): the user moved on
    for (const id of ids) {
      const item = document.getElementById(id);
      if (item && item.matches(ITEMS)) {
        focusItem(item);
        return true;
      }
    }
    const undo = swapped.querySelector(".undo button") || swapped.querySelector("button");
    if (undo) undo.focus();
    return Boolean(undo);
  }

  // Single-key shortcuts (? lists them). None fires while a field has the keyboard, while an IME
  // is composing, with Ctrl/⌘/Alt held (the browser's), or under an open dialog other than the list.
  const go = (key, hash = "") => {
    const link = document.querySelector(`[data-shortcut="${key}"]`);
    if (link) location.assign(link.href + hash);
  };
  const help = () => document.getElementById("shortcuts");
  const toggleHelp = () => {
    const dialog = help();
    if (!dialog) return;
    if (dialog.open) dialog.close();
    else dialog.showModal();
  };

  const SHORTCUTS = {
    "?": toggleHelp,
    n: () => {
      const form = document.getElementById("new-entry");
      if (form) focusFirstField(form);
      else go("t", "#new-entry");
    },
    "/": () => {
      const search = document.querySelector("input[data-live-search]");
      if (search) {
        search.focus();
        search.select();
      } else go("/", "#search-q");
    },
    t: () => go("t"),
    w: () => go("w"),
    j: () => moveThroughItems(1),
    k: () => moveThroughItems(-1),
    e: () => {
      const item = currentItem();
      const edit = item && item.querySelector('a[href$="/edit/"]');
      if (edit) edit.click();
    },
    u: () => {
      const undos = [...document.querySelectorAll(".undo button, .is-deleted button")].filter(shown);
      if (undos.length) undos[undos.length - 1].click();
    },
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isComposing(event) || isField(event.target)) return;
    const action = SHORTCUTS[event.key];
    if (!action) return;
    const dialog = document.querySelector("dialog[open]");
    if (dialog && !(dialog === help() && event.key === "?")) return;
    event.preventDefault();
    action();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("[data-shortcuts-open]")) toggleHelp();
  });

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-shortcuts-open]").forEach((button) => (button.hidden = false));
  });
  // A link to a form or field (…/#new-entry, /search/#search-q from n and /) puts the cursor there;
  // after load, once the browser's own move to the fragment (which focuses the page) is done.
  window.addEventListener("load", () =>
    setTimeout(() => {
      const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
      if (target && target.matches("form, input, textarea")) focusFirstField(target);
    }),
  );

  // The live region: what a save, a queued change, a conflict or a delete did, said once, politely.
  document.addEventListener("tsuzuri:announce", (event) => {
    const region = document.getElementById("announcer");
    if (!region || !region.dataset[event.detail]) return;
    region.textContent = "";  // the same words twice in a row are still read again
    setTimeout(() => (region.textContent = region.dataset[event.detail]), 50);
  });
})();
