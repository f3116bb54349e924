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
