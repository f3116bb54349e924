// Quick exit, after GOV.UK Frontend's "Exit this page" component, going further in one
// way: it leaves with location.replace(), so the Back button does not return here, and
// it goes through /exit/, which ends the session and sends Clear-Site-Data.
//
// Ways out: the button, the "Exit this page" skip link, or pressing Shift three times
// within five seconds. Progress is shown by three lights and announced to screen readers.

const PRESSES_TO_EXIT = 3;
const PRESS_WINDOW_MS = 5000;

export function initQuickExit(root) {
  const module = root.querySelector("[data-module='portal-exit']");
  if (!module) return;
  const button = module.querySelector(".portal-exit__button");
  const exitUrl = button.getAttribute("href");

  const status = document.createElement("span");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  module.appendChild(status);

  const indicator = document.createElement("div");
  indicator.className = "govuk-exit-this-page__indicator";
  indicator.setAttribute("aria-hidden", "true");
  const lights = [];
  for (let i = 0; i < PRESSES_TO_EXIT; i += 1) {
    const light = document.createElement("div");
    light.className = "govuk-exit-this-page__indicator-light";
    indicator.appendChild(light);
    lights.push(light);
  }
  button.appendChild(indicator);

  let presses = 0;
  let timer = null;
  let lastKeyWasModified = false;

  function showPresses() {
    indicator.classList.toggle("govuk-exit-this-page__indicator--visible", presses > 0);
    lights.forEach((light, index) => {
      light.classList.toggle("govuk-exit-this-page__indicator-light--on", index < presses);
    });
  }

  function resetPresses() {
    presses = 0;
    clearTimeout(timer);
    timer = null;
    showPresses();
  }

  function exitPage(event) {
    if (event) event.preventDefault();
    resetPresses();
    status.textContent = "";
    document.body.classList.add("govuk-exit-this-page-hide-content");
    const overlay = document.createElement("div");
    overlay.className = "govuk-exit-this-page-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = "Loading.";
    document.body.appendChild(overlay);
    window.location.replace(exitUrl);
  }

  function onKeyup(event) {
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      showPresses();
      clearTimeout(timer);
      if (presses >= PRESSES_TO_EXIT) {
        exitPage();
        return;
      }
      const left = PRESSES_TO_EXIT - presses;
      status.textContent = `Shift, press ${left} more time${left === 1 ? "" : "s"} to exit.`;
      timer = setTimeout(() => {
        resetPresses();
        status.textContent = "Exit this page expired.";
      }, PRESS_WINDOW_MS);
    } else if (timer !== null) {
      resetPresses();
    }
    lastKeyWasModified = event.shiftKey;
  }

  button.addEventListener("click", exitPage);
  root.querySelectorAll(".portal-exit-skiplink").forEach((link) => link.addEventListener("click", exitPage));
  document.addEventListener("keyup", onKeyup, true);

  // A page restored from the back-forward cache must not stay hidden behind the overlay.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.body.classList.remove("govuk-exit-this-page-hide-content");
    document.querySelectorAll(".govuk-exit-this-page-overlay").forEach((overlay) => overlay.remove());
  });
}

// Leaving no trail in the tab's history. Someone who may need to hide what they were
// reading should find, after quick exit, that Back does not bring the portal back.
// Quick exit replaces the current entry, but every page read before it would still be
// behind Back. So for visitors who are not signed in (the page says so with
// data-portal-history="replace" on <body>), links within the portal, and its GET forms
// (search, filters), replace the current history entry instead of adding one: the
// portal holds one entry of the tab's history however many pages are read, and quick
// exit replaces that one. Links to a part of the same page too: a fragment is an entry
// of its own. (Back inside the portal then leaves it: the safety page says so.)
export function initHistoryReplace(root) {
  if (root.body.dataset.portalHistory !== "replace") return;
  const sameSite = (url) => url.origin === window.location.origin;

  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, window.location.href);
    if (!sameSite(url)) return;
    event.preventDefault();
    window.location.replace(url.href);
  });

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.method || "get").toLowerCase() !== "get") return;
    const url = new URL(form.action || window.location.href, window.location.href);
    if (!sameSite(url)) return;
    event.preventDefault();
    url.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    window.location.replace(url.href);
  });

  // A portal page brought back from the back-forward cache is fetched again instead of
  // being shown as it was left (after quick exit, the session and caches are gone).
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) window.location.reload();
  });
}
