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

  document.addEventListener("keydown", (event) => {
    const form = event.target.closest && event.target.closest("form[data-editor]");
    if (!form) return;
    if (isComposing(event)) {
      // The key belongs to the IME: let it convert, but never let it submit the form.
      if (event.key === "Enter" && event.target.matches("input")) event.preventDefault();
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Enter" && event.target.matches("input[type=text]")) {
      // Enter in the title moves on to the body rather than saving half an entry.
      event.preventDefault();
      const body = form.querySelector("textarea");
      if (body) body.focus();
    } else if (event.key === "Escape") {
      const cancel = form.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });

  // After a swap, put focus where the user will want it: in a form that just opened, or on the
  // entry that just replaced the form they were typing in.
  document.addEventListener("htmx:load", (event) => {
    const swapped = event.detail.elt;
    if (!(swapped instanceof Element) || swapped === document.body) return;
    if (swapped.matches("form[data-editor]") && swapped.id !== "new-entry") {
      const field = swapped.querySelector("input:not([type=hidden]), textarea");
      if (field) field.focus();
    } else if (swapped.matches("article") && document.activeElement === document.body) {
      swapped.setAttribute("tabindex", "-1");
      swapped.focus({ preventScroll: true });
    }
  });
})();
