import { renderMarkdown } from '../../core/markdown.js';
import type { PublicComponent, PublicIncident, PublicMaintenance, PublicPage } from '../../domain/statuspages/public-page.js';
import type { ComponentStatus, Impact } from '../../domain/statuspages/status.js';

/**
 * The public page as one server-rendered HTML document: no script, phone-first, every text
 * escaped. Colours pass WCAG AA on white and every status is also written out, never colour
 * alone; bars have fixed sizes so nothing shifts while the page loads.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const e = escapeHtml;

const STATUS_TEXT: Record<ComponentStatus, string> = {
  operational: 'Operational', under_maintenance: 'Under maintenance', degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage', major_outage: 'Major outage',
};
const IMPACT_CLASS: Record<Impact, string> = { none: 'ok', minor: 'minor', major: 'major', critical: 'critical' };
const STATUS_CLASS: Record<ComponentStatus, string> = { operational: 'ok', under_maintenance: 'maint', degraded_performance: 'minor', partial_outage: 'major', major_outage: 'critical' };
const INDICATOR_CLASS = { none: 'ok', minor: 'minor', major: 'major', critical: 'critical', maintenance: 'maint' } as const;
const MAINTENANCE_STATUS_TEXT: Record<string, string> = { scheduled: 'Scheduled', in_progress: 'In progress', verifying: 'Verifying', completed: 'Completed' };
const PUBLIC_STATUS_TEXT: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}header{padding-top:1.5rem}h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem}h3{font-size:1rem;margin:0}
.banner{padding:1rem;border-radius:.5rem;color:#fff;font-weight:600;font-size:1.1rem}
.b-ok{background:#1e6b35}.b-minor{background:#8a5a00}.b-major{background:#b3410e}.b-critical{background:#b42318}.b-maint{background:#1d4f91}
ul.components{list-style:none;padding:0;margin:0;border:1px solid #d0d0d0;border-radius:.5rem}
ul.components>li{padding:.75rem 1rem;border-top:1px solid #d0d0d0}ul.components>li:first-child{border-top:0}
ul.members{list-style:none;padding:0 0 0 1rem;margin:.5rem 0 0}ul.members>li{padding:.5rem 0}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}.st{font-weight:600}
.s-ok{color:#1e6b35}.s-minor{color:#8a5a00}.s-major{color:#b3410e}.s-critical{color:#b42318}.s-maint{color:#1d4f91}
.bars{display:flex;gap:1px;height:2rem;margin:.5rem 0 .25rem}.bars span{flex:1 1 0;min-width:1px;height:2rem;border-radius:1px}
.d-ok{background:#2f9e55}.d-maint{background:#3b6fc4}.d-minor{background:#d69a00}.d-major{background:#e0672b}.d-critical{background:#d92d20}
.uptime{display:flex;justify-content:space-between;font-size:.85rem;color:#4a4a4a}
article.m{border-color:#1d4f91}.md p{margin:.25rem 0}
article{border-left:4px solid #b3410e;padding:.25rem 0 .25rem 1rem;margin:0 0 1.5rem}article.i-minor{border-color:#8a5a00}article.i-critical{border-color:#b42318}article.i-ok{border-color:#4a4a4a}
ol.updates{list-style:none;padding:0;margin:.5rem 0 0}ol.updates li{margin:0 0 .75rem}.meta{font-size:.85rem;color:#4a4a4a}
.body{overflow-wrap:anywhere;margin:.25rem 0 0}.body>:first-child{margin-top:0}.body>:last-child{margin-bottom:0}.body pre{white-space:pre-wrap}.body table{border-collapse:collapse}.body td,.body th{border:1px solid #d0d0d0;padding:.25rem .5rem}footer{margin-top:3rem;padding-bottom:2rem;font-size:.9rem;color:#4a4a4a}
a{color:#0b57d0}
form.subscribe label{display:block;font-weight:600;margin:0 0 .25rem}form.subscribe .line{display:flex;gap:.5rem;flex-wrap:wrap}
form.subscribe input[type=email]{flex:1 1 14rem;min-width:0;font:inherit;padding:.6rem;border:1px solid #6b6b6b;border-radius:.375rem}
form.subscribe button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:.375rem;background:#0b57d0;color:#fff;cursor:pointer}
form.subscribe details{margin:.75rem 0 0}form.subscribe fieldset{border:0;padding:0;margin:.5rem 0 0}form.subscribe fieldset label{font-weight:400;display:flex;gap:.5rem;align-items:center;padding:.25rem 0}
`;

/**
 * The subscribe form: a plain POST (no script), double opt-in by mail. Components are optional
 * ("only these"); none ticked means the whole page.
 */
function subscribeForm(page: PublicPage, base: string): string {
  const choices = page.components.filter((c) => !c.group || page.components.some((m) => m.groupId === c.id));
  const boxes = choices.map((c) => `<label><input type="checkbox" name="components" value="${e(c.id)}"> ${e(c.name)}</label>`).join('');
  return `<section aria-labelledby="h-subscribe"><h2 id="h-subscribe">Get updates by e-mail</h2>
<form class="subscribe" method="post" action="${e(base)}/subscribe"><label for="subscribe-email">E-mail address</label>
<div class="line"><input id="subscribe-email" type="email" name="email" required autocomplete="email" inputmode="email"><button type="submit">Subscribe</button></div>
${boxes ? `<details><summary>Only some components</summary><fieldset><legend class="meta">Leave all unticked for every update.</legend>${boxes}</fieldset></details>` : ''}
<p class="meta">We send a confirmation mail first. Every mail has a one-click unsubscribe link.</p></form></section>`;
}

function bars(c: PublicComponent): string {
  const cells = c.uptime.days.map((d) => {
    // Maintenance is its own colour, never an outage's; an incident the same day wins.
    const maint = d.worst === 'none' && d.maintenanceMinutes > 0;
    const label = maint ? `${d.date}: maintenance, ${d.maintenanceMinutes} min` : d.worst === 'none' ? `${d.date}: no incidents` : `${d.date}: ${d.worst} incident, ${d.downMinutes} min`;
    return `<span class="d-${maint ? 'maint' : IMPACT_CLASS[d.worst]}" title="${e(label)}"></span>`;
  }).join('');
  return `<div class="bars" role="img" aria-label="${e(`${c.name}: ${c.uptime.uptimePercent}% uptime over the last ${c.uptime.days.length} days`)}">${cells}</div>`
    + `<div class="uptime" aria-hidden="true"><span>${c.uptime.days.length} days ago</span><span>${c.uptime.uptimePercent}% uptime</span><span>Today</span></div>`;
}

function component(c: PublicComponent, members: PublicComponent[]): string {
  const head = `<div class="row"><h3>${e(c.name)}</h3><span class="st s-${STATUS_CLASS[c.status]}">${STATUS_TEXT[c.status]}</span></div>`;
  const desc = c.description ? `<p class="meta">${e(c.description)}</p>` : '';
  const inner = members.length > 0 ? `<ul class="members">${members.map((m) => `<li>${component(m, [])}</li>`).join('')}</ul>` : '';
  return `${head}${desc}${bars(c)}${inner}`;
}

function incident(i: PublicIncident, page: PublicPage): string {
  const affected = page.components.filter((c) => i.components.includes(c.id)).map((c) => c.name);
  const updates = i.updates.map((u) => `<li><p class="meta"><strong>${e(PUBLIC_STATUS_TEXT[u.status] ?? u.status)}</strong> · <time datetime="${new Date(u.createdAt).toISOString()}">${when(u.createdAt)}</time></p><div class="body">${renderMarkdown(u.body, { headingOffset: 3 })}</div></li>`).join('');
  return `<article id="incident-${e(i.id)}" class="i-${IMPACT_CLASS[i.impact]}" aria-labelledby="h-${e(i.id)}"><h3 id="h-${e(i.id)}">${e(i.name)}</h3>`
    + `<p class="meta">${e(PUBLIC_STATUS_TEXT[i.status] ?? i.status)} · impact ${e(i.impact)}${affected.length ? ` · affects ${e(affected.join(', '))}` : ''}</p>`
    + `<ol class="updates">${updates}</ol>${i.postmortem ? `<section class="postmortem"><h4>Post-mortem</h4>${renderMarkdown(i.postmortem.body, { headingOffset: 4 })}</section>` : ''}</article>`;
}

function maintenance(m: PublicMaintenance, page: PublicPage): string {
  const affected = page.components.filter((c) => m.components.includes(c.id)).map((c) => c.name);
  const span = `<time datetime="${new Date(m.scheduledFor).toISOString()}">${when(m.scheduledFor)}</time> – <time datetime="${new Date(m.scheduledUntil).toISOString()}">${when(m.scheduledUntil)}</time>`;
  return `<article id="maintenance-${e(m.id)}" class="m" aria-labelledby="h-${e(m.id)}"><h3 id="h-${e(m.id)}">${e(m.name)}</h3>`
    + `<p class="meta">${e(MAINTENANCE_STATUS_TEXT[m.status] ?? m.status)} · ${span}${affected.length ? ` · affects ${e(affected.join(', '))}` : ''}</p>`
    + (m.description.trim() ? `<div class="md">${renderMarkdown(m.description, { headingOffset: 3 })}</div>` : '')
    + '</article>';
}

export function renderPublicPage(page: PublicPage, links: { base: string }): string {
  const top = page.components.filter((c) => c.groupId === null);
  const active = page.incidents.filter((i) => i.status !== 'resolved');
  const past = page.incidents.filter((i) => i.status === 'resolved');
  const bannerClass = INDICATOR_CLASS[page.status.indicator];
  const running = page.maintenances.filter((m) => m.status === 'in_progress' || m.status === 'verifying');
  const upcoming = page.maintenances.filter((m) => m.status === 'scheduled').sort((a, b) => a.scheduledFor - b.scheduledFor);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(page.name)} status</title>
<link rel="alternate" type="application/rss+xml" title="${e(page.name)} status history (RSS)" href="${e(links.base)}/history.rss">
<link rel="alternate" type="application/atom+xml" title="${e(page.name)} status history (Atom)" href="${e(links.base)}/history.atom">
<style>${CSS}</style></head>
<body>
<header><h1>${e(page.name)} status</h1>
<p class="banner b-${bannerClass}" role="status">${e(page.status.description)}</p></header>
<main>
${active.length ? `<section aria-labelledby="h-active"><h2 id="h-active">Active incidents</h2>${active.map((i) => incident(i, page)).join('')}</section>` : ''}
${running.length ? `<section aria-labelledby="h-maint-active"><h2 id="h-maint-active">Maintenance in progress</h2>${running.map((m) => maintenance(m, page)).join('')}</section>` : ''}
<section aria-labelledby="h-components"><h2 id="h-components">Components</h2>
${top.length ? `<ul class="components">${top.map((c) => `<li>${component(c, page.components.filter((m) => m.groupId === c.id))}</li>`).join('')}</ul>` : '<p>No components yet.</p>'}
</section>
${upcoming.length ? `<section aria-labelledby="h-maint-upcoming"><h2 id="h-maint-upcoming">Scheduled maintenance</h2>${upcoming.map((m) => maintenance(m, page)).join('')}</section>` : ''}
<section aria-labelledby="h-past"><h2 id="h-past">Past incidents (90 days)</h2>
${past.length ? past.map((i) => incident(i, page)).join('') : '<p>No incidents in the last 90 days.</p>'}
</section>
${subscribeForm(page, links.base)}
</main>
<footer><p>Updated <time datetime="${new Date(page.updatedAt).toISOString()}">${when(page.updatedAt)}</time>. Subscribe: <a href="${e(links.base)}/history.rss">RSS</a> · <a href="${e(links.base)}/history.atom">Atom</a> · <a href="${e(links.base)}/api/v2/summary.json">JSON</a></p></footer>
</body></html>`;
}
