/* Frontier Allergy chat widget: one <script> tag puts the back-pain assistant on any page.
 *
 *   <script>window.FrontierChatConfig = {              // optional, before the tag below
 *     server: "https://chat.frontierallergy.example",  // default: where widget.js came from
 *     clinicName: "Frontier Allergy",                  // default: from the server's config/clinic.yml
 *     colors: { primary: "#0b5e7e", onPrimary: "#ffffff" }  // keep 4.5:1 contrast between them
 *   };</script>
 *   <script src="https://chat.frontierallergy.example/widget/widget.js" defer></script>
 *
 * Plain JS and CSS, no dependencies, inside a shadow root so the host page's styles can't break it.
 * Message text only ever goes in as text nodes; links are built as elements. The conversation id
 * (a random UUID4) and the transcript live in sessionStorage, the conversation itself in the
 * assistant's tracker store, so a reload or another page of the site carries on where it was.
 */
(function () {
  "use strict";
  if (window.FrontierChat) return; // the tag was included twice: the first one wins

  const options = window.FrontierChatConfig || {};
  const server = String(options.server || new URL(document.currentScript.src, location.href).origin).replace(/\/+$/, "");
  const storeKey = "frontier-chat:" + server;
  const links = /https?:\/\/[^\s<>"']+/g;
  const info = { clinicName: options.clinicName || "the clinic", retentionDays: null, maxMessageChars: 2000 };
  const unreachable = "We can't reach the assistant right now.";
  const keptForRetry = " Your message is kept: press Retry to send it again.";

  let state = restore();
  let busy = false;
  let pending = null; // what to resend on Retry: {payload, item}; item is null for the silent greeting

  /* ---- the conversation id and the transcript ---- */

  function newId() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4: the other 122 bits are random
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function fresh() {
    return { id: newId(), open: false, items: [] };
  }

  function restore() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storeKey));
      if (saved && typeof saved.id === "string" && Array.isArray(saved.items)) return saved;
    } catch (e) {
      /* storage blocked or corrupt: start a new conversation */
    }
    return fresh();
  }

  function save() {
    try {
      sessionStorage.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* storage blocked: the widget still works, it just won't survive a reload */
    }
  }

  /* ---- building the DOM ---- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function srOnly(text) {
    return el("span", { class: "sr" }, [text]);
  }

  /** Text with its http(s) links made clickable; everything else stays a text node. */
  function linkified(text) {
    const parts = [];
    let last = 0;
    text.replace(links, (match, offset) => {
      const url = match.replace(/[.,;:!?)\]]+$/, "");
      parts.push(text.slice(last, offset));
      parts.push(el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, [url]));
      last = offset + url.length;
      return match;
    });
    parts.push(text.slice(last));
    return parts;
  }

  const host = el("div", { id: "frontier-chat-widget" });
  host.style.visibility = "hidden"; // until its stylesheet has loaded
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = el("link", { rel: "stylesheet", href: server + "/widget/widget.css" });
  stylesheet.addEventListener("load", () => (host.style.visibility = ""));
  stylesheet.addEventListener("error", () => (host.style.visibility = ""));

  const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "fc-panel" }, [
    el("span", { class: "launcher-icon", "aria-hidden": "true" }, ["?"]),
    el("span", { class: "launcher-label" }, ["Back-pain questions? Chat with us"]),
  ]);
  const title = el("h2", { id: "fc-title" }, ["Back-pain assistant"]);
  const restartButton = el("button", { type: "button", class: "restart" }, ["Start over"]);
  const closeButton = el("button", { type: "button", class: "close", "aria-label": "Close chat" }, [
    el("span", { "aria-hidden": "true" }, ["×"]),
  ]);
  const privacy = el("p", { class: "privacy" }, []);
  const log = el("div", { class: "log", role: "region", "aria-label": "Conversation", tabindex: "0" });
  const typing = el("div", { class: "msg bot typing", hidden: "" }, [
    srOnly("The assistant is typing"),
    el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
  ]);
  const errorText = el("span", {}, []);
  const retryButton = el("button", { type: "button", class: "retry" }, ["Retry"]);
  const errorBox = el("div", { class: "error", role: "alert", hidden: "" }, [errorText, retryButton]);
  const input = el("textarea", { id: "fc-input", rows: "2", "aria-describedby": "fc-hint", autocomplete: "off" });
  const sendButton = el("button", { type: "submit", class: "send" }, ["Send"]);
  const form = el("form", { class: "compose" }, [
    el("label", { for: "fc-input", class: "sr" }, ["Your message"]),
    input,
    sendButton,
    el("span", { id: "fc-hint", class: "sr" }, ["Enter sends; Shift+Enter starts a new line."]),
  ]);
  const announcer = el("div", { class: "sr", "aria-live": "polite" });
  const panel = el("section", { id: "fc-panel", class: "panel", role: "dialog", "aria-labelledby": "fc-title", hidden: "" }, [
    el("div", { class: "head" }, [
      el("div", { class: "titles" }, [title, el("p", { class: "nature" }, ["Automated assistant, not a doctor"])]),
      restartButton,
      closeButton,
    ]),
    el("p", { class: "emergency" }, [
      el("strong", {}, ["Emergency?"]),
      " Severe breathing trouble, blue lips or chest pain: call ",
      el("a", { href: "tel:911" }, ["911"]),
      " now.",
    ]),
    privacy,
    log,
    errorBox,
    form,
    announcer,
  ]);
  root.append(stylesheet, panel, launcher);

  const colors = options.colors || {};
  if (colors.primary) host.style.setProperty("--fc-primary", colors.primary);
  if (colors.onPrimary) host.style.setProperty("--fc-on-primary", colors.onPrimary);

  function describeClinic() {
    title.textContent = info.clinicName + " back-pain assistant";
    launcher.setAttribute("aria-label", "Chat with " + info.clinicName + "'s back-pain assistant");
    const kept = info.retentionDays ? " for " + info.retentionDays + " days" : "";
    privacy.textContent = "Privacy: this chat is stored on " + info.clinicName + "'s server" + kept + "; only clinic staff can read it.";
  }

  /* ---- rendering the transcript ---- */

  function render() {
    log.replaceChildren();
    const answered = state.items.map((item) => item.who).lastIndexOf("user"); // buttons before it are spent
    state.items.forEach((item, i) => {
      const bubble = el("div", { class: "msg " + item.who }, [srOnly(item.who === "bot" ? "Assistant: " : "You: ")]);
      bubble.append(...linkified(item.text));
      if (item.unsent) bubble.append(el("span", { class: "unsent" }, [" (not sent)"]));
      log.append(bubble);
      if (item.who === "bot" && item.buttons && item.buttons.length && i > answered) {
        log.append(quickReplies(item.buttons));
      }
    });
    log.append(typing);
    log.scrollTop = log.scrollHeight;
  }

  function quickReplies(buttons) {
    return el(
      "div",
      { class: "replies", role: "group", "aria-label": "Quick replies" },
      buttons.map((b) => {
        const button = el("button", { type: "button" }, [b.title]);
        button.addEventListener("click", () => {
          send(b.payload, b.title);
          input.focus();
        });
        return button;
      })
    );
  }

  function announce(replies) {
    const words = replies.map((r) => r.text + (r.buttons.length ? " Choices: " + r.buttons.map((b) => b.title).join(", ") + "." : ""));
    announcer.textContent = "";
    setTimeout(() => (announcer.textContent = "Assistant: " + words.join(" ")), 50);
  }

  function showError(message, canRetry) {
    errorText.textContent = message + " ";
    retryButton.hidden = !canRetry;
    errorBox.hidden = false;
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.setAttribute("aria-disabled", String(value));
    log.setAttribute("aria-busy", String(value));
    log.scrollTop = log.scrollHeight;
  }

  /* ---- talking to the assistant ---- */

  /** Send `payload` to the assistant; `shown` is the patient's bubble (null: nothing shown, the greeting). */
  async function send(payload, shown) {
    if (busy) return;
    errorBox.hidden = true;
    const item = shown === null ? null : { who: "user", text: shown, payload: payload };
    if (item) state.items.push(item);
    await deliver({ payload: payload, item: item });
  }

  async function deliver(attempt) {
    const conversation = state.id;
    pending = attempt;
    if (attempt.item) delete attempt.item.unsent;
    save();
    render();
    setBusy(true);
    try {
      const response = await fetch(server + "/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: conversation, message: attempt.payload }),
      });
      const body = await response.json().catch(() => ({}));
      // 4xx: the proxy says, in plain words, what was wrong; 503: the assistant failed to answer, the proxy
      // says what to do (with the clinic's phone); other 5xx: the proxy couldn't reach Rasa.
      if (!response.ok) {
        const problem = new Error((response.status < 500 || response.status === 503) && body.error ? body.error : "");
        problem.retryable = response.status >= 500; // the message itself was fine: Retry can send it as it is
        throw problem;
      }
      if (conversation !== state.id) return; // the patient started over meanwhile
      const replies = body.messages || [];
      replies.forEach((r) => state.items.push({ who: "bot", text: r.text, buttons: r.buttons }));
      pending = null;
      save();
      render();
      if (replies.length) announce(replies);
    } catch (error) {
      if (conversation !== state.id) return;
      if (attempt.item) attempt.item.unsent = true;
      save();
      render();
      const said = error instanceof TypeError ? "" : error.message; // TypeError: no answer at all
      const kept = attempt.item ? keptForRetry : " Press Retry to try again.";
      showError(said ? said + (error.retryable ? kept : "") : unreachable + kept, true);
    } finally {
      if (conversation === state.id) setBusy(false);
    }
  }

  function retry() {
    if (busy || !pending) return;
    errorBox.hidden = true;
    deliver(pending);
  }

  function submitTyped() {
    const text = input.value.trim();
    if (!text || busy) return;
    if (text.length > info.maxMessageChars) {
      showError(
        "That message is " + text.length.toLocaleString() + " characters long; please keep it under " + info.maxMessageChars.toLocaleString() + ".",
        false
      );
      return;
    }
    input.value = "";
    send(text, text);
  }

  /* ---- opening, closing, starting over ---- */

  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    render();
    if (focus) input.focus();
    if (!state.items.length && !busy) send("/greet", null);
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  function startOver() {
    state = fresh();
    pending = null;
    setBusy(false);
    errorBox.hidden = true;
    open(true);
  }

  launcher.addEventListener("click", () => (panel.hidden ? open(true) : close()));
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", startOver);
  retryButton.addEventListener("click", retry);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitTyped();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitTyped();
    }
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });

  describeClinic();
  fetch(server + "/api/config")
    .then((r) => (r.ok ? r.json() : {}))
    .then((c) => {
      info.clinicName = options.clinicName || c.clinicName || info.clinicName;
      info.retentionDays = c.retentionDays || null;
      info.maxMessageChars = c.maxMessageChars || info.maxMessageChars;
      describeClinic();
    })
    .catch(() => {
      /* the chat itself reports an unreachable server */
    });

  function start() {
    document.body.append(host);
    if (state.open) open(false);
    const unsent = state.items.filter((i) => i.unsent).pop();
    if (unsent) {
      pending = { payload: unsent.payload, item: unsent };
      showError(unreachable + keptForRetry, true);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.FrontierChat = { open: () => open(true), close: close, startOver: startOver };
})();
