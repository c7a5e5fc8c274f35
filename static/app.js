// Tsuzuri: the little behaviour htmx does not give. No eval, no inline handlers (CSP-safe).
(() => {
  "use strict";

  // A Japanese IME reports Enter that commits a conversion as isComposing or keyCode 229
  // (Safari sends 229 even after compositionend). Such a key never saves or submits.
  const isComposing = (event) => event.isComposing || event.keyCode === 229;

  // The CSRF token is read from the cookie at send time, never taken from HTML that may be old.
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  document.addEventListener("htmx:configRequest", (event) => {
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
    } else if (form.matches("[data-editor]")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Enter" && event.target.matches("input[type=text]")) {
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
    } else if (swapped.matches("article") && document.activeElement === document.body) {
      swapped.setAttribute("tabindex", "-1");
      swapped.focus({ preventScroll: true });
    }
  });
})();
