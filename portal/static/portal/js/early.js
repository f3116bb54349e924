// Run before the page is first painted (a classic script at the top of <body>): marks
// the body as GOV.UK Frontend does, so the CSS can draw components in their scripted
// state from the start (the folded navigation on phones) and nothing moves later.
// Browsers without ES modules never run portal.js, so they do not get the class.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
