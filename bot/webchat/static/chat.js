/*
 * Góp ý dự thảo — web chat client.
 *
 * Vanilla JavaScript, no dependencies, no build step, no third-party requests.
 * Talks only to our own same-origin JSON API; the session lives in an HttpOnly
 * cookie set by the server. This script stores nothing itself (no cookies,
 * no localStorage): the last seen message id is kept in memory only.
 *
 * API used (see the report in the project for the full contract):
 *   GET  /api/chat/history               -> {replies: [Reply], last_id}
 *   POST /api/chat  {event_id, text}     -> {replies: [Reply], last_id}
 *   POST /api/chat  {event_id, action}   -> {replies: [Reply], last_id}
 *   GET  /api/chat/updates?after=<id>    -> {replies: [Reply], last_id}
 *   errors: 4xx/5xx {error: "<message in the user's language>"}
 *
 *   Reply = {id, text, buttons: [[{label, action}]], attachment: null | {name, url}}
 *   Optional, if the server chooses to send it: Reply.from === "user" marks a
 *   citizen's own earlier message in /history, so it is drawn on the right
 *   after a reload. Without it every reply is drawn as a bot message.
 *
 * Security: every piece of server or user text is inserted with textContent /
 * text nodes, never innerHTML; links are built as elements and only for
 * http(s) URLs.
 */
(function () {
  "use strict";

  /* ------------------------------------------------------------------ */
  /* Configuration                                                      */
  /* ------------------------------------------------------------------ */

  var API = {
    history: "/api/chat/history",
    send: "/api/chat",
    updates: "/api/chat/updates",
  };

  var MAX_CHARS = 4000;             // server maximum (Unicode code points)
  var WARN_CHARS = 3600;            // show the counter from here on
  var POLL_INTERVAL_MS = 10000;     // updates poll while the tab is visible
  var POLL_MAX_BACKOFF_MS = 120000; // cap for the poll back-off after errors
  var RETRY_DELAYS_MS = [1000, 2000, 4000]; // one entry per retry (3 retries)
  var POST_TIMEOUT_MS = 30000;
  var GET_TIMEOUT_MS = 15000;
  var MAX_RETRY_AFTER_S = 600;      // ignore absurd Retry-After values

  /** Static interface strings (Vietnamese first, English where useful). */
  var TEXT = {
    botPrefix: "Trợ lý: ",
    userPrefix: "Bạn: ",
    choicesLabel: "Các lựa chọn",
    attachmentPrefix: "Tải tệp: ",
    attachmentSuffix: " (tải về · download)",
    send: "Gửi",
    sending: "Đang gửi…",
    retrying: "Đang gửi lại…",
    reconnecting: "Đang kết nối lại…",
    retryButton: "Gửi lại · Retry",
    reloadButton: "Thử lại · Retry",
    waitSending: "Đang gửi tin nhắn trước, vui lòng đợi giây lát…",
    tooLong:
      "Tin nhắn quá dài (tối đa 4.000 ký tự). Vui lòng rút gọn hoặc chia thành nhiều tin nhắn.",
    nearLimit: "Sắp đạt giới hạn 4.000 ký tự.",
    notSentText:
      "Chưa gửi được tin nhắn (lỗi kết nối). Nội dung vẫn được giữ trong ô nhập. " +
      "· Not sent (connection problem). Your text is kept in the box.",
    notSentAction:
      "Chưa gửi được (lỗi kết nối). Vui lòng thử lại. · Not sent (connection problem). Please retry.",
    genericError:
      "Đã có lỗi xảy ra, vui lòng thử lại. · Something went wrong, please try again.",
    historyError:
      "Không tải được cuộc trò chuyện. · Could not load the conversation.",
    rateLimited: function (seconds) {
      return "Vui lòng đợi " + seconds + " giây rồi gửi tiếp.";
    },
    countdown: function (seconds) {
      return seconds + "s";
    },
  };

  /* ------------------------------------------------------------------ */
  /* State (memory only)                                                */
  /* ------------------------------------------------------------------ */

  var state = {
    lastId: 0,               // highest message id received
    seenIds: new Set(),      // ids already rendered (dedupe poll/POST overlap)
    ready: false,            // history loaded; polling may start
    sending: false,          // one POST at a time keeps the conversation ordered
    failed: null,            // {body, text, line}: last text that could not be sent
    rateLimitedUntil: 0,     // Date.now() value until which sending is blocked
    rateTimer: 0,
    pollTimer: 0,
    polling: false,
    pollAgain: false,        // a poll was requested while one was in flight
    pollFailures: 0,
    counterLevel: "ok",      // "ok" | "warn" | "over" (to announce changes once)
  };

  /* ------------------------------------------------------------------ */
  /* DOM references                                                     */
  /* ------------------------------------------------------------------ */

  var els = {};

  function bindElements() {
    els.conversation = document.getElementById("conversation");
    els.log = document.getElementById("log");
    els.typing = document.getElementById("typing");
    els.jump = document.getElementById("jump-latest");
    els.form = document.getElementById("composer");
    els.input = document.getElementById("message-input");
    els.send = document.getElementById("send-button");
    els.sendLabel = document.getElementById("send-label");
    els.status = document.getElementById("status");
    els.counter = document.getElementById("counter");
  }

  /* ------------------------------------------------------------------ */
  /* Small utilities                                                    */
  /* ------------------------------------------------------------------ */

  /** Create an element with an optional class and text (via textContent). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Text only announced by screen readers. */
  function srOnly(text) {
    return el("span", "visually-hidden", text);
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  /** Unique id for idempotent POSTs. */
  function newEventId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Fallback (older browsers / non-secure contexts): 128 random bits as hex.
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
  }

  /** Length in Unicode code points (what the Python server counts). */
  function countChars(text) {
    return Array.from(text).length;
  }

  /** 4000 -> "4.000" (Vietnamese digit grouping). */
  function formatNumber(n) {
    try {
      return n.toLocaleString("vi-VN");
    } catch (e) {
      return String(n);
    }
  }

  /** Normalise user text: NFC (Vietnamese diacritics) and trimmed ends. */
  function cleanText(raw) {
    var text = typeof raw.normalize === "function" ? raw.normalize("NFC") : raw;
    return text.trim();
  }

  /** Parse Retry-After (seconds or HTTP date) into whole seconds, 0 if absent. */
  function parseRetryAfter(value) {
    if (!value) return 0;
    var seconds = Number(value);
    if (!Number.isFinite(seconds)) {
      var date = Date.parse(value);
      if (Number.isNaN(date)) return 0;
      seconds = (date - Date.now()) / 1000;
    }
    return Math.max(0, Math.min(MAX_RETRY_AFTER_S, Math.ceil(seconds)));
  }

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /** Touch-first device: avoid popping up the on-screen keyboard uninvited. */
  function isCoarsePointer() {
    return window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  }

  /* ------------------------------------------------------------------ */
  /* Networking                                                         */
  /* ------------------------------------------------------------------ */

  /**
   * One HTTP request. Never throws; resolves to
   * {ok, status, data, error, retryAfter, retriable}.
   * Network failures, timeouts, 408 and 5xx are "retriable".
   */
  function request(url, options, timeoutMs) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, timeoutMs) : 0;
    var headers = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";

    return fetch(url, {
      method: options.method || "GET",
      headers: headers,
      body: options.body,
      credentials: "same-origin",
      cache: "no-store",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null; // not JSON (e.g. a proxy error page)
          })
          .then(function (data) {
            return interpretResponse(response, data);
          });
      })
      .catch(function () {
        return { ok: false, status: 0, data: null, error: null, retryAfter: 0, retriable: true };
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  /** Turn a fetch Response plus its parsed JSON body into our result shape. */
  function interpretResponse(response, data) {
    var status = response.status;
    if (response.ok) {
      if (data && Array.isArray(data.replies)) {
        return { ok: true, status: status, data: data, error: null, retryAfter: 0, retriable: false };
      }
      // A 200 we cannot read: repeating is safe (same event_id), so retry.
      return { ok: false, status: status, data: null, error: null, retryAfter: 0, retriable: true };
    }
    return {
      ok: false,
      status: status,
      data: data,
      error: data && typeof data.error === "string" && data.error.trim() ? data.error : null,
      retryAfter: parseRetryAfter(response.headers.get("Retry-After")),
      retriable: status >= 500 || status === 408,
    };
  }

  /**
   * Request with up to RETRY_DELAYS_MS.length retries of the SAME body on
   * network errors and 5xx. `onRetry(attempt)` is called before each retry.
   */
  function requestWithRetry(url, options, timeoutMs, onRetry) {
    var attempt = 0;
    function run() {
      return request(url, options, timeoutMs).then(function (result) {
        if (result.ok || !result.retriable || attempt >= RETRY_DELAYS_MS.length) return result;
        var delay = RETRY_DELAYS_MS[attempt];
        attempt += 1;
        if (onRetry) onRetry(attempt);
        return sleep(delay).then(run);
      });
    }
    return run();
  }

  /* ------------------------------------------------------------------ */
  /* Rendering: text with safe links                                    */
  /* ------------------------------------------------------------------ */

  var URL_PATTERN = /https?:\/\/[^\s<>"'`]+/gi;
  var TRAILING_PUNCTUATION = ".,;:!?…'\"»”’";
  var CLOSING_BRACKETS = { ")": "(", "]": "[", "}": "{" };

  function countOf(text, ch) {
    return text.split(ch).length - 1;
  }

  /** Drop punctuation that ends a sentence rather than the URL. */
  function trimUrl(url) {
    while (url.length > 0) {
      var last = url.charAt(url.length - 1);
      var opening = CLOSING_BRACKETS[last];
      if (opening) {
        // Keep a closing bracket that balances one inside the URL (Wikipedia style).
        if (countOf(url, opening) >= countOf(url, last)) break;
      } else if (TRAILING_PUNCTUATION.indexOf(last) === -1) {
        break;
      }
      url = url.slice(0, -1);
    }
    return url;
  }

  /** Absolute http(s) URL string, or null for anything else (javascript:, data:…). */
  function safeHttpUrl(candidate, base) {
    try {
      var url = new URL(candidate, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  /** An external link opened in a new tab without giving it access to us. */
  function buildLink(url, label) {
    var a = el("a", null, label);
    a.href = url.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  /** Append `text` to `parent`, turning http(s) URLs into links. */
  function appendLinkifiedText(parent, text) {
    var index = 0;
    URL_PATTERN.lastIndex = 0;
    var match;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var raw = trimUrl(match[0]);
      var start = match.index;
      var url = safeHttpUrl(raw);
      if (start > index) parent.appendChild(document.createTextNode(text.slice(index, start)));
      parent.appendChild(url ? buildLink(url, raw) : document.createTextNode(raw));
      index = start + raw.length;
      URL_PATTERN.lastIndex = index; // re-scan what trimUrl cut off
    }
    if (index < text.length) parent.appendChild(document.createTextNode(text.slice(index)));
  }

  /* ------------------------------------------------------------------ */
  /* Rendering: messages                                                */
  /* ------------------------------------------------------------------ */

  function buildTextParagraph(text) {
    var p = el("p", "bubble__text");
    appendLinkifiedText(p, text);
    return p;
  }

  /** Small decorative "download" icon (inline SVG, no font or file needed). */
  function buildDownloadIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "attachment__icon");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M12 3v12m0 0-5-5m5 5 5-5M4 20h16");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    return svg;
  }

  /** Download link for a reply attachment, or null if the URL is not http(s). */
  function buildAttachment(attachment) {
    if (!attachment || typeof attachment.url !== "string") return null;
    var url = safeHttpUrl(attachment.url, window.location.href);
    if (!url) return null;
    var name = typeof attachment.name === "string" && attachment.name.trim()
      ? attachment.name.trim()
      : url.pathname.split("/").pop() || url.href;

    var a = el("a", "attachment");
    a.href = url.href;
    if (url.origin === window.location.origin) {
      a.download = name; // hint for same-origin files; the server's Content-Disposition wins
    } else {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    a.appendChild(buildDownloadIcon());
    a.appendChild(srOnly(TEXT.attachmentPrefix));
    a.appendChild(el("span", "attachment__name", name));
    a.appendChild(srOnly(TEXT.attachmentSuffix));
    return a;
  }

  /** Rows of reply buttons. Accepts [[btn]] and, defensively, [btn]. */
  function buildChoices(rows) {
    if (!Array.isArray(rows) || rows.length === 0) return null;
    var group = el("div", "choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.choicesLabel);
    rows.forEach(function (row) {
      var items = Array.isArray(row) ? row : [row];
      var rowEl = el("div", "choice-row");
      items.forEach(function (item) {
        if (!item || typeof item.label !== "string" || typeof item.action !== "string") return;
        var button = el("button", "choice", item.label);
        button.type = "button";
        button.dataset.action = item.action;
        rowEl.appendChild(button);
      });
      if (rowEl.childElementCount > 0) group.appendChild(rowEl);
    });
    return group.childElementCount > 0 ? group : null;
  }

  /** One reply as a DOM node, or null when it has nothing to show. */
  function buildReply(reply) {
    if (reply.from === "user" && typeof reply.text === "string") {
      return buildUserMessage(reply.text, false);
    }
    var wrap = el("div", "msg msg--bot");
    var hasText = typeof reply.text === "string" && reply.text.length > 0;
    var attachment = buildAttachment(reply.attachment);

    if (hasText || attachment) {
      var bubble = el("div", "bubble");
      bubble.appendChild(srOnly(TEXT.botPrefix));
      if (hasText) bubble.appendChild(buildTextParagraph(reply.text));
      if (attachment) bubble.appendChild(attachment);
      wrap.appendChild(bubble);
    }
    var choices = buildChoices(reply.buttons);
    if (choices) wrap.appendChild(choices);

    if (!wrap.firstChild) return null;
    if (Number.isFinite(reply.id)) wrap.dataset.id = String(reply.id);
    return wrap;
  }

  /** The citizen's own message (typed text or the label of a button). */
  function buildUserMessage(text, pending) {
    var wrap = el("div", pending ? "msg msg--user is-pending" : "msg msg--user");
    var bubble = el("div", "bubble");
    bubble.appendChild(srOnly(TEXT.userPrefix));
    bubble.appendChild(buildTextParagraph(text));
    wrap.appendChild(bubble);
    return wrap;
  }

  /** Show a message the user is sending right now (pending until answered). */
  function appendUserMessage(text) {
    var wrap = buildUserMessage(text, true);
    els.log.appendChild(wrap);
    return wrap;
  }

  /** Small status line under a user bubble ("Đang gửi lại…"), or remove it. */
  function setMessageMeta(message, text) {
    if (!message) return;
    var meta = message.querySelector(".msg__meta");
    if (!text) {
      if (meta) meta.remove();
      return;
    }
    if (!meta) {
      meta = el("span", "msg__meta");
      meta.setAttribute("aria-hidden", "true"); // the status region announces it
      message.appendChild(meta);
    }
    meta.textContent = text;
  }

  /**
   * A centred system line (error or notice), optionally with one action
   * button. `onAction(line)` receives the line element.
   */
  function appendSystemLine(message, options) {
    options = options || {};
    var wrap = el("div", "msg msg--system");
    var p = el("p", options.error ? "system system--error" : "system");
    p.appendChild(el("span", null, message));
    if (options.actionLabel && options.onAction) {
      var button = el("button", "system__action", options.actionLabel);
      button.type = "button";
      button.addEventListener("click", function () {
        options.onAction(wrap);
      });
      p.appendChild(button);
    }
    wrap.appendChild(p);
    var stick = isNearBottom();
    els.log.appendChild(wrap);
    if (stick) scrollToNewest(wrap);
    return wrap;
  }

  /** Remember the highest id seen so far (memory only). */
  function updateLastId(value) {
    if (Number.isFinite(value) && value > state.lastId) state.lastId = value;
  }

  /**
   * Append server replies, skipping ids already shown. `force` scrolls to
   * them even if the reader had scrolled up (used after the user's own action).
   */
  function renderReplies(replies, lastId, options) {
    options = options || {};
    var stick = options.force || isNearBottom();
    var first = null;
    (Array.isArray(replies) ? replies : []).forEach(function (reply) {
      if (!reply || typeof reply !== "object") return;
      if (Number.isFinite(reply.id)) {
        if (state.seenIds.has(reply.id)) return;
        state.seenIds.add(reply.id);
        updateLastId(reply.id);
      }
      var node = buildReply(reply);
      if (!node) return;
      els.log.appendChild(node);
      if (!first) first = node;
    });
    updateLastId(lastId);

    if (!first) return;
    if (options.instant) scrollToBottom(true);
    else if (stick) scrollToNewest(first);
    else els.jump.hidden = false;
  }

  /* ------------------------------------------------------------------ */
  /* Scrolling                                                          */
  /* ------------------------------------------------------------------ */

  function isNearBottom() {
    var c = els.conversation;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 80;
  }

  function scrollBehavior(instant) {
    return instant || prefersReducedMotion() ? "auto" : "smooth";
  }

  function scrollToBottom(instant) {
    var c = els.conversation;
    c.scrollTo({ top: c.scrollHeight, behavior: scrollBehavior(instant) });
    els.jump.hidden = true;
  }

  /**
   * Bring new messages into view: scroll to the bottom, but never past the
   * top of the first new message, so a long draft text is read from its start.
   */
  function scrollToNewest(firstNew) {
    var c = els.conversation;
    var maxTop = c.scrollHeight - c.clientHeight;
    var firstTop =
      firstNew.getBoundingClientRect().top - c.getBoundingClientRect().top + c.scrollTop - 12;
    c.scrollTo({ top: Math.max(0, Math.min(maxTop, firstTop)), behavior: scrollBehavior(false) });
    els.jump.hidden = true;
  }

  function onConversationScroll() {
    if (!els.jump.hidden && isNearBottom()) els.jump.hidden = true;
  }

  /* ------------------------------------------------------------------ */
  /* Composer: status, counter, auto-grow, send button                  */
  /* ------------------------------------------------------------------ */

  /** Discreet status line above the input (also announced politely). */
  function setStatus(text, isError) {
    els.status.textContent = text || "";
    els.status.classList.toggle("is-error", Boolean(text && isError));
  }

  /** Typing indicator under the last message; `follow` scrolls to it. */
  function showTyping(visible, follow) {
    var stick = follow || isNearBottom();
    els.typing.hidden = !visible;
    if (visible && stick) scrollToBottom(false);
  }

  /** Grow the textarea with its content up to the CSS max-height. */
  function autoGrow() {
    var input = els.input;
    var style = window.getComputedStyle(input);
    var borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    input.style.height = "auto";
    input.style.height = input.scrollHeight + borders + "px";
  }

  /** Character counter: hidden until close to the limit, then warn / block. */
  function updateCounter() {
    var count = countChars(cleanText(els.input.value));
    var level = count > MAX_CHARS ? "over" : count >= WARN_CHARS ? "warn" : "ok";

    els.counter.hidden = level === "ok";
    els.counter.textContent = formatNumber(count) + " / " + formatNumber(MAX_CHARS);
    els.counter.classList.toggle("is-warning", level === "warn");
    els.counter.classList.toggle("is-over", level === "over");
    if (level === "over") els.input.setAttribute("aria-invalid", "true");
    else els.input.removeAttribute("aria-invalid");

    // Announce only when the level changes, not on every keystroke.
    if (level !== state.counterLevel) {
      if (level === "over") setStatus(TEXT.tooLong, true);
      else if (level === "warn") setStatus(TEXT.nearLimit, false);
      else if (state.counterLevel !== "ok") setStatus("");
      state.counterLevel = level;
    }
  }

  function onInput() {
    autoGrow();
    updateCounter();
  }

  function clearInput() {
    els.input.value = "";
    onInput();
  }

  /** Put text that could not be sent back into the input, never losing anything. */
  function restoreDraft(text) {
    var current = els.input.value;
    if (current.trim() === "") els.input.value = text;
    else if (current.indexOf(text) === -1) els.input.value = text + "\n" + current;
    onInput();
  }

  /** Reflect "sending" and "rate limited" on the send button. */
  function updateSendButton() {
    var waitSeconds = rateLimitSecondsLeft();
    els.send.disabled = waitSeconds > 0;
    els.sendLabel.textContent = waitSeconds > 0 ? TEXT.countdown(waitSeconds) : TEXT.send;
    if (state.sending) els.send.setAttribute("aria-disabled", "true");
    else els.send.removeAttribute("aria-disabled");
    document.body.classList.toggle("is-sending", state.sending);
  }

  /* ------------------------------------------------------------------ */
  /* Rate limiting (HTTP 429)                                           */
  /* ------------------------------------------------------------------ */

  function rateLimitSecondsLeft() {
    return Math.max(0, Math.ceil((state.rateLimitedUntil - Date.now()) / 1000));
  }

  function startRateLimit(seconds) {
    if (!seconds) return;
    state.rateLimitedUntil = Date.now() + seconds * 1000;
    clearInterval(state.rateTimer);
    state.rateTimer = setInterval(tickRateLimit, 1000);
    updateSendButton();
  }

  function tickRateLimit() {
    if (rateLimitSecondsLeft() === 0) {
      clearInterval(state.rateTimer);
      state.rateLimitedUntil = 0;
      setStatus("");
    }
    updateSendButton();
  }

  /**
   * Whether a new message may go out now; if not, say why in the status line.
   */
  function canSendNow() {
    if (state.sending) {
      setStatus(TEXT.waitSending, false);
      return false;
    }
    var wait = rateLimitSecondsLeft();
    if (wait > 0) {
      setStatus(TEXT.rateLimited(wait), true);
      return false;
    }
    return true;
  }

  /* ------------------------------------------------------------------ */
  /* Sending                                                            */
  /* ------------------------------------------------------------------ */

  /**
   * POST one event. `label` (if any) is shown as the user's bubble;
   * `text` (if any) is the typed text to restore on failure.
   */
  function submit(body, label, text) {
    if (!canSendNow()) return Promise.resolve(false);
    state.sending = true;
    updateSendButton();
    setStatus("");

    var bubble = label !== null ? appendUserMessage(label) : null;
    showTyping(true, true);

    var onRetry = function (attempt) {
      setStatus(TEXT.retrying + " (" + attempt + "/" + RETRY_DELAYS_MS.length + ")", false);
      setMessageMeta(bubble, TEXT.retrying);
    };
    var options = { method: "POST", body: JSON.stringify(body) };

    return requestWithRetry(API.send, options, POST_TIMEOUT_MS, onRetry).then(function (result) {
      state.sending = false;
      showTyping(false);
      if (result.ok) {
        onSendSuccess(result, bubble);
      } else {
        onSendFailure(result, body, label, text, bubble);
      }
      updateSendButton();
      return result.ok;
    });
  }

  function onSendSuccess(result, bubble) {
    state.failed = null;
    setStatus("");
    if (bubble) {
      bubble.classList.remove("is-pending");
      setMessageMeta(bubble, null);
    }
    renderReplies(result.data.replies, result.data.last_id, { force: true });
    pollNow(); // pick up anything the agency sent meanwhile
  }

  /**
   * Show why sending failed, keep what the user typed, and offer a retry
   * (with the same event_id) when the failure may be temporary.
   */
  function onSendFailure(result, body, label, text, bubble) {
    if (bubble) bubble.remove();
    if (text !== null) restoreDraft(text);
    if (result.status === 429) startRateLimit(result.retryAfter);

    var message = result.error || TEXT.genericError;
    if (!result.error && result.retriable) {
      message = text !== null ? TEXT.notSentText : TEXT.notSentAction;
    }
    if (!result.retriable) {
      state.failed = null;
      setStatus("");
      appendSystemLine(message, { error: true });
      return;
    }

    setStatus("");
    var line = appendSystemLine(message, {
      error: true,
      actionLabel: TEXT.retryButton,
      onAction: function (lineEl) {
        if (!canSendNow()) return;
        lineEl.remove();
        if (text !== null && cleanText(els.input.value) === text) clearInput();
        state.failed = null;
        submit(body, label, text);
        focusInputUnlessTouch();
      },
    });
    // Re-sending the same text from the input reuses this event_id.
    state.failed = text !== null ? { body: body, text: text, line: line } : null;
  }

  /** Send what is typed in the input. */
  function sendFromInput() {
    var text = cleanText(els.input.value);
    els.input.focus();
    if (!text) return;
    if (countChars(text) > MAX_CHARS) {
      setStatus(TEXT.tooLong, true);
      return;
    }
    if (!canSendNow()) return;

    var body;
    if (state.failed && state.failed.text === text) {
      // Same text as a failed attempt: same event_id, so it is never stored twice.
      body = state.failed.body;
      state.failed.line.remove();
    } else {
      body = { event_id: newEventId(), text: text };
    }
    state.failed = null;
    clearInput();
    submit(body, text, text);
  }

  /** A reply button: show its label as the user's bubble and send the action. */
  function sendChoice(button) {
    if (!canSendNow()) return;
    var action = button.dataset.action;
    var label = button.textContent;
    submit({ event_id: newEventId(), action: action }, label, null);
    focusInputUnlessTouch();
  }

  /** Keyboard users continue typing; on phones we do not pop the keyboard up. */
  function focusInputUnlessTouch() {
    if (!isCoarsePointer()) els.input.focus();
  }

  /* ------------------------------------------------------------------ */
  /* History and updates (polling)                                      */
  /* ------------------------------------------------------------------ */

  /** Load what this session already received; start the chat if empty. */
  function loadHistory() {
    els.log.setAttribute("aria-busy", "true");
    var onRetry = function () {
      setStatus(TEXT.reconnecting, false);
    };
    return requestWithRetry(API.history, { method: "GET" }, GET_TIMEOUT_MS, onRetry).then(
      function (result) {
        els.log.removeAttribute("aria-busy");
        setStatus("");
        if (!result.ok) {
          appendSystemLine(result.error || TEXT.historyError, {
            error: true,
            actionLabel: TEXT.reloadButton,
            onAction: function (lineEl) {
              lineEl.remove();
              loadHistory();
            },
          });
          return;
        }
        state.ready = true;
        renderReplies(result.data.replies, result.data.last_id, { instant: true });
        if (result.data.replies.length === 0) {
          submit({ event_id: newEventId(), action: "start" }, null, null);
        }
        schedulePoll(POLL_INTERVAL_MS);
      }
    );
  }

  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = 0;
  }

  /** Next poll in `delayMs`, only while the tab is visible. */
  function schedulePoll(delayMs) {
    stopPolling();
    if (document.visibilityState !== "visible") return;
    state.pollTimer = setTimeout(pollNow, delayMs);
  }

  /** Fetch updates now (no retry: the next poll is the retry). */
  function pollNow() {
    stopPolling();
    if (!state.ready || document.visibilityState !== "visible") return;
    if (state.polling) {
      state.pollAgain = true;
      return;
    }
    if (state.sending) {
      // The POST response triggers a poll itself.
      schedulePoll(POLL_INTERVAL_MS);
      return;
    }
    state.polling = true;
    var url = API.updates + "?after=" + encodeURIComponent(String(state.lastId));
    request(url, { method: "GET" }, GET_TIMEOUT_MS).then(onPollResult);
  }

  function onPollResult(result) {
    state.polling = false;
    var delay = POLL_INTERVAL_MS;
    if (result.ok) {
      state.pollFailures = 0;
      renderReplies(result.data.replies, result.data.last_id, {});
    } else {
      // Back off quietly; respect Retry-After on 429.
      state.pollFailures += 1;
      delay = Math.min(POLL_MAX_BACKOFF_MS, POLL_INTERVAL_MS * Math.pow(2, state.pollFailures - 1));
      if (result.retryAfter) delay = Math.max(delay, result.retryAfter * 1000);
    }
    if (state.pollAgain && result.ok) {
      state.pollAgain = false;
      pollNow();
      return;
    }
    state.pollAgain = false;
    schedulePoll(delay);
  }

  function onVisibilityChange() {
    if (document.visibilityState === "visible") pollNow();
    else stopPolling();
  }

  /* ------------------------------------------------------------------ */
  /* Event wiring                                                       */
  /* ------------------------------------------------------------------ */

  function onSubmit(event) {
    event.preventDefault();
    sendFromInput();
  }

  /** Enter sends, Shift+Enter adds a newline; never during IME composition. */
  function onKeyDown(event) {
    if (event.key !== "Enter" || event.shiftKey) return;
    if (event.isComposing || event.keyCode === 229) return; // Vietnamese IME (Telex/VNI)
    event.preventDefault();
    sendFromInput();
  }

  /** Delegated click handler for reply buttons in the log (old ones too). */
  function onLogClick(event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("button.choice") : null;
    if (button && els.log.contains(button)) sendChoice(button);
  }

  function bindEvents() {
    els.form.addEventListener("submit", onSubmit);
    // Keep focus (and the phone keyboard) in the textarea when Send is pressed.
    els.send.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    els.input.addEventListener("keydown", onKeyDown);
    els.input.addEventListener("input", onInput);
    els.log.addEventListener("click", onLogClick);
    els.conversation.addEventListener("scroll", onConversationScroll, { passive: true });
    els.jump.addEventListener("click", function () {
      scrollToBottom(false);
      focusInputUnlessTouch();
    });
    document.addEventListener("visibilitychange", onVisibilityChange);
    window.addEventListener("online", pollNow);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) pollNow(); // restored from the back/forward cache
    });
  }

  function init() {
    bindElements();
    bindEvents();
    autoGrow();
    updateSendButton();
    if (!isCoarsePointer()) els.input.focus();
    loadHistory();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
