import { Feed } from 'feed';
import { renderMarkdown } from '../../core/markdown.js';
import type { PublicPage } from '../../domain/statuspages/public-page.js';
import { escapeHtml } from './render-page.js';
import { pageUrl } from './statuspage-json.js';

/** RSS 2.0 and Atom 1.0 of the page's incident history: one entry per public incident. */
export function historyFeed(page: PublicPage, publicUrl: string): Feed {
  const link = pageUrl(page, publicUrl);
  const feed = new Feed({
    id: link, title: `${page.name} status history`, link, updated: new Date(page.updatedAt), generator: 'Firebreak',
    feedLinks: { rss: `${link}/history.rss`, atom: `${link}/history.atom` }, copyright: page.name,
  });
  for (const i of page.incidents) {
    feed.addItem({
      id: `${link}#incident-${i.id}`, link: `${link}#incident-${i.id}`, title: i.name, date: new Date(i.updatedAt),
      content: i.updates.map((u) => `<p><strong>${escapeHtml(u.status)}</strong> (${new Date(u.createdAt).toISOString()}) </p>${renderMarkdown(u.body, { headingOffset: 2 })}`).join(''),
    });
  }
  // Scheduled maintenance too (announced, started, completed), so feed readers hear of it ahead.
  for (const m of page.maintenances) {
    feed.addItem({
      id: `${link}#maintenance-${m.id}`, link: `${link}#maintenance-${m.id}`, title: `Maintenance: ${m.name}`, date: new Date(m.updatedAt),
      content: `<p>${new Date(m.scheduledFor).toISOString()} – ${new Date(m.scheduledUntil).toISOString()}</p>`
        + m.updates.map((u) => `<p><strong>${escapeHtml(u.status)}</strong> (${new Date(u.createdAt).toISOString()}) - ${escapeHtml(u.body)}</p>`).join(''),
    });
  }
  return feed;
}
