'use strict';
/**
 * pa11y's own axe runner with axe's rules for the criteria WCAG 2.2 added (tagged wcag22a
 * and wcag22aa, as the installed axe knows them) switched on as well: pa11y's WCAG2AA
 * standard stops at WCAG 2.1 for axe. pa11y's `rules` option cannot carry them here, as
 * axe and HTML_CodeSniffer run in one pass over each page and HTML_CodeSniffer refuses
 * rules it does not know.
 *
 * pa11y injects a runner's `run` into the page as source text, so the rules are written
 * into that text.
 */
const axeCore = require('axe-core');
const axe = require('pa11y/lib/runners/axe');

const WCAG22_RULES = axeCore.getRules(['wcag22a', 'wcag22aa']).map(rule => rule.ruleId);
if (!WCAG22_RULES.length) {
	throw new Error('axe knows no WCAG 2.2 rules: the check would be WCAG 2.1 only');
}

const run = {
	toString: () => `(options, pa11y) => (${axe.run.toString()})(
		{...options, rules: [...options.rules, ...${JSON.stringify(WCAG22_RULES)}]},
		pa11y
	)`
};

module.exports = {run, scripts: axe.scripts, supports: axe.supports};
