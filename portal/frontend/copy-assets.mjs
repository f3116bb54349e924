// Copies GOV.UK Frontend's compiled JavaScript into the portal's static files.
// The crown, logo and GDS Transport font are deliberately not copied: they are for GOV.UK only.
import { copyFileSync, mkdirSync } from "node:fs";

const source = "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js";
mkdirSync("portal/static/portal/js/vendor", { recursive: true });
copyFileSync(source, "portal/static/portal/js/vendor/govuk-frontend.min.js");
