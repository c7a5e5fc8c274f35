// Tsuzuri photos: send photos chosen, dropped or pasted onto an entry, with a progress bar, and
// show them full size in a lightbox (arrows, Esc, swipe). Without JavaScript the upload form posts
// and each thumbnail links to its large image. CSP-safe: no inline code, no eval.
//
// Uploads never go through the outbox (static/outbox.js queues text ops for later): a photo needs
// the network now, so offline the form says so instead of queueing or failing silently.
(() => {
  "use strict";

  const MAX_BYTES = 25 * 1024 * 1024;  // journal/imaging.py MAX_BYTES: refused before sending
  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  // Uploading

  // The form a photo dropped or pasted on `element` goes through: the upload form of the entry
  // or note it is in, or the entry's edit form (data-photo-url) while it is being edited.
  const formOf = (element) => {
    if (!(element instanceof Element)) return null;
    const entry = element.closest("article.entry, .photos, .reading-note");
    const form = entry ? entry.querySelector("form[data-photo-upload]") : null;
    return form || element.closest("form[data-photo-url]");
  };

  function say(form, text, isError = false) {
    const status = form.querySelector(".photo-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", isError);
  }

  function sendOne(form, file, progress) {
    return new Promise((resolve) => {
      const data = new FormData();
      data.append("image", file, file.name || "photo");
      const request = new XMLHttpRequest();
      request.open("POST", form.dataset.photoUrl || form.action);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.setRequestHeader("HX-Request", "true");
      request.setRequestHeader("HX-Current-URL", location.href);
      request.upload.addEventListener("progress", (event) => {
        if (progress && event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
      request.addEventListener("load", () => resolve(request));
      request.addEventListener("error", () => resolve(null));
      request.addEventListener("abort", () => resolve(null));
      request.send(data);
    });
  }

  async function upload(form, files) {
    files = [...files].filter((file) => file && file.size !== undefined);
    if (!files.length) return;
    if (!navigator.onLine) {
      say(form, form.dataset.offlineText, true);
      return;
    }
    const targetSelector = form.dataset.target;
    const progress = form.querySelector(".photo-progress");
    const problems = [];  // shown in the status line
    let html = null;  // the last answer: the photos as they are now, with its own refusals
    let added = 0;
    for (const file of files) {
      if (file.size > MAX_BYTES) {
        problems.push(form.dataset.tooLargeText.replace("{name}", file.name));
        continue;
      }
      if (progress) {
        progress.hidden = false;
        progress.value = 0;
      }
      say(form, form.dataset.sendingText.replace("{name}", file.name || ""));
      const answer = await sendOne(form, file, progress);
      if (!answer || answer.status === 0) {
        problems.push(navigator.onLine ? form.dataset.failedText : form.dataset.offlineText);
        break;
      }
      if (answer.status < 200 || answer.status >= 300) {
        problems.push(form.dataset.failedText);
        continue;
      }
      // Each answer lists the refusal of its file; only the last answer is put on the page.
      if (html !== null && targetSelector) problems.push(...refusalsIn(html));
      html = answer.responseText;
      added += 1;
    }
    if (progress) progress.hidden = true;
    const target = targetSelector && document.querySelector(targetSelector);
    if (html && target && window.htmx) {
      htmx.swap(target, html, { swapStyle: "outerHTML" });
    } else if (html && !targetSelector) {
      // The entry's edit form: its photos show once the entry is displayed again.
      const refused = refusalsIn(html);
      problems.push(...refused);
      if (!refused.length && added) say(form, form.dataset.addedText);
    }
    if (problems.length) {
      const fresh = (targetSelector && document.querySelector(targetSelector)) || form;
      const freshForm = fresh.matches("form[data-photo-upload]") ? fresh : fresh.querySelector("form[data-photo-upload]");
      say(freshForm || form, problems.join(" "), true);
    } else if (!html) {
      say(form, "");
    }
  }

  const refusalsIn = (html) =>
    [...new DOMParser().parseFromString(html, "text/html").querySelectorAll(".photo-errors li")]
      .map((item) => item.textContent);

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-photo-upload]")) return;
    event.preventDefault();
    const input = form.querySelector("input[type=file]");
    upload(form, input.files).then(() => { input.value = ""; });
  });

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("form[data-photo-upload] input[type=file]") || !input.files.length) return;
    upload(input.form, input.files).then(() => { input.value = ""; });
  });

  const imageFiles = (transfer) =>
    transfer ? [...transfer.files].filter((file) => file.type.startsWith("image/") || /\.(heic|heif)$/i.test(file.name)) : [];

  document.addEventListener("dragover", (event) => {
    const form = formOf(event.target);
    if (!form || ![...(event.dataTransfer?.types || [])].includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    form.classList.add("is-dragging");
  });
  document.addEventListener("dragleave", (event) => {
    const form = formOf(event.target);
    const area = form && (form.closest("article, .photos, .reading-note") || form);
    if (area && !area.contains(event.relatedTarget)) {
      form.classList.remove("is-dragging");
    }
  });
  document.addEventListener("drop", (event) => {
    const form = formOf(event.target);
    if (!form) return;
    const files = imageFiles(event.dataTransfer);
    form.classList.remove("is-dragging");
    if (!files.length) return;
    event.preventDefault();
    upload(form, files);
  });

  // Paste: an image on the clipboard goes to the entry the user is in (text pastes as usual).
  document.addEventListener("paste", (event) => {
    const form = formOf(event.target) || formOf(document.activeElement);
    const files = imageFiles(event.clipboardData);
    if (!form || !files.length) return;
    event.preventDefault();
    upload(form, files);
  });

  // Offline, every upload form says at once that photos must wait for the network.
  const sayConnection = () => {
    document.querySelectorAll("form[data-photo-upload]").forEach((form) => {
      const status = form.querySelector(".photo-status");
      if (!navigator.onLine) say(form, form.dataset.offlineText, true);
      else if (status && status.textContent === form.dataset.offlineText) say(form, "");
    });
  };
  window.addEventListener("offline", sayConnection);
  window.addEventListener("online", sayConnection);

  const markReady = (root) =>
    root.querySelectorAll("form[data-photo-upload]").forEach((form) => { form.dataset.ready = ""; });
  document.addEventListener("DOMContentLoaded", () => { markReady(document); sayConnection(); });
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt instanceof Element) markReady(event.detail.elt.parentElement || event.detail.elt);
  });

  // Lightbox: the large images of one gallery (an entry, a timeline card), one at a time.

  let dialog = null;
  let gallery = [];
  let index = 0;

  function build() {
    const template = document.getElementById("lightbox-template");
    if (!template) return null;
    document.body.append(template.content.cloneNode(true));
    const built = document.getElementById("lightbox");
    built.querySelector("[data-lightbox-close]").addEventListener("click", () => built.close());
    built.querySelector("[data-lightbox-prev]").addEventListener("click", () => show(index - 1));
    built.querySelector("[data-lightbox-next]").addEventListener("click", () => show(index + 1));
    built.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
    });
    built.addEventListener("close", () => {
      const opener = gallery[index];
      built.querySelector("img").removeAttribute("src");
      if (opener && opener.isConnected) opener.focus();
    });
    // Swipe: a horizontal move of 50 px or more goes to the next or previous photo.
    let startX = null;
    let startY = null;
    const figure = built.querySelector("figure");
    figure.addEventListener("pointerdown", (event) => { startX = event.clientX; startY = event.clientY; });
    figure.addEventListener("pointerup", (event) => {
      if (startX === null) return;
      const dx = event.clientX - startX;
      const dy = event.clientY - startY;
      startX = null;
      if (Math.abs(dx) >= 50 && Math.abs(dx) > Math.abs(dy)) show(index + (dx < 0 ? 1 : -1));
    });
    figure.addEventListener("pointercancel", () => { startX = null; });
    return built;
  }

  function show(at) {
    if (!gallery.length) return;
    index = (at + gallery.length) % gallery.length;
    const link = gallery[index];
    const thumb = link.querySelector("img");
    const img = dialog.querySelector("img");
    img.src = link.getAttribute("href");
    img.width = Number(link.dataset.width) || 0;
    img.height = Number(link.dataset.height) || 0;
    img.alt = thumb ? thumb.alt : "";
    dialog.querySelector("figcaption").textContent = thumb ? thumb.alt : "";
    dialog.querySelector(".lightbox-count").textContent = `${index + 1} / ${gallery.length}`;
    const several = gallery.length > 1;
    dialog.querySelector(".lightbox-nav").hidden = !several;
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-lightbox]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    dialog = dialog && dialog.isConnected ? dialog : build();
    if (!dialog) return;
    event.preventDefault();
    const holder = link.closest("[data-gallery]");
    gallery = holder ? [...holder.querySelectorAll("a[data-lightbox]")] : [link];
    dialog.showModal();
    show(gallery.indexOf(link));
    dialog.querySelector("[data-lightbox-close]").focus();
  });
})();
