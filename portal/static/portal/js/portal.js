// The portal's JavaScript. Everything works without it; it adds GOV.UK Frontend's
// behaviours and the quick-exit enhancements. Loaded as a module, so browsers too old
// for modules get the plain, working HTML.
import { initAll } from "./vendor/govuk-frontend.min.js";
import { initHistoryReplace, initQuickExit } from "./quick-exit.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initQuickExit(document);
initHistoryReplace(document);
