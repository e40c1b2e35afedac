/**
 * docs/screens/README.md: every picture of `npm run screens`, grouped by who sees it (member, teacher,
 * operator) and by page, with a short guide to adding a page or a state. Rewritten on every full run.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROLES = [
  ['member', '学员 · Member'],
  ['teacher', '老师 · Teacher'],
  ['operator', '运营 · Operator'],
];

const PER_ROW = 3;

const HOW_TO = `Every Mini Program page in the states that matter, drawn by \`npm run screens\` from the real WXML,
WXSS and Vant components (miniprogram-simulate) inside a drawn WeChat frame, photographed by Debian's
Chromium at 375×812 (DPR 2). The clock of the pictures is 2026-11-20 09:41 Beijing time. Regenerate after
changing a page; CI fails when a page cannot be rendered or shows text under 4.5:1 contrast (pictures are
not compared).

## Adding a page or a state

Each page has one scene file, \`test/screens/scenes/<page>.screens.ts\` (one page per file: miniprogram-simulate
registers components per jest module registry). A state is one entry of \`states\`:

\`\`\`ts
screens({
  name: 'cohort',                    // pictures are docs/screens/cohort-<state>.png
  page: 'pages/cohort/index',        // under miniprogram/, without extension
  title: '打卡期详情', role: 'member', // gallery heading and section
  states: [
    {
      name: 'joined',                 // file name part
      caption: '已加入，今天还没打卡',   // one line under the picture
      query: { id: '3' },             // onLoad query
      server: { 'GET /cohorts/3': () => ok(speaking()) },   // the fake API (anything else answers 404)
      act: (page) => tap(page, '.leave'),                   // optional: taps, typing, popups
      // also: role / as (who is logged in), login: 'pending' | 'fail', uploads, wx stubs, before, fullPage
    },
  ],
});
\`\`\`

Content comes from \`test/screens/support/fixtures.ts\` (realistic Chinese data); photos are the small JPEGs in
\`test/screens/photos\` (matched by file name of the image URL). \`npm run screens -- cohort\` renders only the
scene files matching \`cohort\` (and leaves the gallery alone); a full run rewrites this file.
`;

function cell(capture) {
  return `<td width="33%" valign="top"><img src="${capture.id}.png" width="250" alt="${capture.id}"><br><code>${capture.id}</code><br>${capture.caption}</td>`;
}

/** Pages in the order app.json lists them (main package, then each subpackage). */
function appOrder(page) {
  const app = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../miniprogram/app.json'), 'utf8'));
  const all = [...app.pages, ...app.subPackages.flatMap((sub) => sub.pages.map((p) => `${sub.root}/${p}`))];
  const index = all.indexOf(page);
  return index === -1 ? all.length : index;
}

function writeGallery(dir, captures) {
  const lines = ['# Mini Program screens', '', HOW_TO];
  for (const [role, heading] of ROLES) {
    const mine = captures.filter((c) => c.role === role);
    if (!mine.length) continue;
    lines.push(`## ${heading}`, '');
    const pages = [...new Set(mine.map((c) => c.page))].sort((a, b) => appOrder(a) - appOrder(b));
    for (const page of pages) {
      const states = mine.filter((c) => c.page === page).sort((a, b) => a.order - b.order);
      lines.push(`### ${states[0].pageTitle} · \`${page}\``, '', '<table>');
      for (let i = 0; i < states.length; i += PER_ROW) lines.push(`<tr>${states.slice(i, i + PER_ROW).map(cell).join('')}</tr>`);
      lines.push('</table>', '');
    }
  }
  fs.writeFileSync(path.join(dir, 'README.md'), `${lines.join('\n').trimEnd()}\n`);
}

module.exports = { writeGallery };
