// townsquare: small enhancements over pages that work without JavaScript.
"use strict";

(() => {
  const maxChars = Number(document.body.dataset.maxChars || 500);
  const URL_LENGTH = 23;
  const urlPattern = /https?:\/\/[^\s<>"']+/g;
  const segmenter = "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  // Count as the server does: grapheme clusters, every link as 23.
  const graphemes = (text) => (segmenter ? [...segmenter.segment(text)].length : [...text].length);
  const postLength = (text) => {
    let links = 0;
    const rest = text.replace(urlPattern, () => { links += 1; return ""; });
    return graphemes(rest) + links * URL_LENGTH;
  };

  const ui = document.documentElement.lang;
  const number = new Intl.NumberFormat(ui);

  for (const form of document.querySelectorAll("[data-compose]")) {
    const text = form.querySelector("[data-compose-text]");
    const counter = form.querySelector("[data-counter]");
    const warning = form.querySelector("input[name=spoiler_text]");
    const button = form.querySelector("button[type=submit]");
    const update = () => {
      const used = postLength(text.value) + (warning ? postLength(warning.value) : 0);
      const left = maxChars - used;
      counter.textContent = `${number.format(used)} / ${number.format(maxChars)}`;
      counter.classList.toggle("over", left < 0);
      button.disabled = left < 0;
    };
    text.addEventListener("input", update);
    if (warning) warning.addEventListener("input", update);
    update();
  }

  // Images without a description: ask once before posting, then let the person choose.
  for (const form of document.querySelectorAll("[data-compose]")) {
    const prompt = form.querySelector("[data-alt-prompt]");
    if (!prompt) continue;
    form.addEventListener("submit", (event) => {
      const undescribed = [...form.querySelectorAll("[data-media-slot]")].find((slot) =>
        slot.querySelector("[data-media-file]").files.length > 0 && !slot.querySelector("[data-media-alt]").value.trim());
      if (!undescribed || form.dataset.altAsked === "1") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      form.dataset.altAsked = "1";
      prompt.textContent = prompt.dataset.message;
      prompt.hidden = false;
      form.querySelector("[data-compose-media]").open = true;
      undescribed.querySelector("[data-media-alt]").focus();
    });
  }

  // Sign-up: is the name free, and how strong is the password.
  const username = document.querySelector("[data-username]");
  const usernameStatus = document.querySelector("[data-username-status]");
  if (username && usernameStatus) {
    let timer = 0;
    username.addEventListener("input", () => {
      window.clearTimeout(timer);
      const value = username.value;
      if (!value) { usernameStatus.textContent = ""; return; }
      timer = window.setTimeout(async () => {
        const answer = await fetch(`/auth/username?username=${encodeURIComponent(value)}`);
        if (!answer.ok || username.value !== value) return;
        const found = await answer.json();
        usernameStatus.textContent = found.message;
        usernameStatus.classList.toggle("good", found.available);
        usernameStatus.classList.toggle("bad", !found.available);
      }, 250);
    });
  }
  const password = document.querySelector("[data-password]");
  const strength = document.querySelector("[data-password-strength]");
  if (password && strength) {
    password.addEventListener("input", () => {
      const value = password.value;
      let score = 0;
      if (value.length >= 8) score += 1;
      if (value.length >= 12) score += 1;
      if (value.length >= 16) score += 1;
      if (/[^A-Za-z]/.test(value) && /[A-Za-z]/.test(value)) score += 1;
      const labels = (strength.dataset.labels || "").split("|");
      strength.textContent = value ? labels[score] || "" : "";
      strength.classList.toggle("bad", score < 2);
      strength.classList.toggle("good", score >= 3);
    });
  }

  // Posting without a reload: send the form, then show the page the server answered
  // with (the feed with the new post, or the form with its message).
  const compose = document.querySelector("[data-compose]");
  const feedHere = document.querySelector("[data-feed]");
  if (compose && feedHere && window.fetch) {
    compose.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = compose.querySelector("button[type=submit]");
      button.disabled = true;
      let answer;
      const data = new FormData(compose);
      // images go as multipart; text alone as a plain form
      const withFiles = [...compose.querySelectorAll("[data-media-file]")].some((input) => input.files.length > 0);
      try {
        answer = await fetch(compose.action, {
          method: "POST",
          body: withFiles ? data : new URLSearchParams([...data].filter(([, value]) => typeof value === "string")),
          credentials: "same-origin",
        });
      } catch {
        compose.submit();  // the network failed: let the browser try the plain way
        return;
      }
      const next = new DOMParser().parseFromString(await answer.text(), "text/html");
      const nextForm = next.querySelector("[data-compose]");
      const nextFeed = next.querySelector("[data-feed]");
      if (answer.ok && nextFeed && nextForm) {
        feedHere.replaceChildren(...[...nextFeed.children].map((n) => document.adoptNode(n)));
        compose.querySelector("[data-compose-text]").value = "";
        const warning = compose.querySelector("input[name=spoiler_text]");
        if (warning) warning.value = "";
        for (const field of compose.querySelectorAll("[data-media-file], [data-media-alt]")) field.value = "";
        delete compose.dataset.altAsked;
        const prompt = compose.querySelector("[data-alt-prompt]");
        if (prompt) prompt.hidden = true;
        // a fresh key, or the next post would be taken for a retry of this one
        compose.querySelector("[name=idempotency_key]").value = nextForm.querySelector("[name=idempotency_key]").value;
        const error = compose.querySelector(".form-error");
        if (error) error.remove();
        button.disabled = false;
        compose.querySelector("[data-compose-text]").dispatchEvent(new Event("input"));
        compose.querySelector("[data-compose-text]").focus();
      } else if (nextForm) {
        const shown = nextForm.querySelector(".form-error");
        let error = compose.querySelector(".form-error");
        if (shown && !error) {
          error = document.adoptNode(shown);
          compose.prepend(error);
        } else if (shown) {
          error.textContent = shown.textContent;
        }
        button.disabled = false;
        compose.querySelector("[data-compose-text]").dispatchEvent(new Event("input"));
      } else {
        document.documentElement.replaceWith(document.adoptNode(next.documentElement));
      }
    });
  }

  // New posts on home: look again when the tab comes back into view, and now and then.
  const indicator = document.querySelector("[data-new-posts]");
  if (indicator && feedHere) {
    const newest = () => feedHere.querySelector(".post")?.dataset.id;
    const look = async () => {
      if (document.visibilityState !== "visible") return;
      const answer = await fetch("/home", { credentials: "same-origin" });
      if (!answer.ok) return;
      const next = new DOMParser().parseFromString(await answer.text(), "text/html");
      const first = next.querySelector("[data-feed] .post")?.dataset.id;
      indicator.hidden = !first || first === newest();
    };
    document.addEventListener("visibilitychange", look);
    window.setInterval(look, 90_000);
  }

  // Infinite scroll: fetch the "older posts" page when its link comes into view.
  const feed = document.querySelector("[data-feed]");
  const older = document.querySelector("[data-older]");
  if (feed && older && "IntersectionObserver" in window) {
    let loading = false;
    const observer = new IntersectionObserver(async (entries) => {
      if (!entries.some((entry) => entry.isIntersecting) || loading) return;
      loading = true;
      const answer = await fetch(older.href);
      if (!answer.ok) { loading = false; return; }
      const next = new DOMParser().parseFromString(await answer.text(), "text/html");
      for (const post of next.querySelectorAll("[data-feed] > .post")) feed.append(document.adoptNode(post));
      const nextLink = next.querySelector("[data-older]");
      if (nextLink) { older.href = nextLink.href; loading = false; } else { observer.disconnect(); older.remove(); }
    });
    observer.observe(older);
  }
})();
