using Microsoft.Playwright;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>Checks run in the browser on an open page.</summary>
public static class PageChecks
{
    /// <summary>Accessibility basics: lang, title, one main and h1, labelled nav, footer, table headers with scope and captions, titled SVG, alt text, labelled fields, link text.</summary>
    public static Task<string[]> AccessibilityProblemsAsync(IPage page) => page.EvaluateAsync<string[]>("""
                () => {
                  const p = [];
                  if (!document.documentElement.lang) p.push('no lang on <html>');
                  if (!document.title.trim()) p.push('no <title>');
                  if (document.querySelectorAll('main').length !== 1) p.push('not exactly one <main>');
                  if (!document.querySelector('header nav[aria-label]')) p.push('no labelled <nav> in the header');
                  if (!document.querySelector('footer')) p.push('no <footer>');
                  if (document.querySelectorAll('h1').length !== 1) p.push(document.querySelectorAll('h1').length + ' <h1>');
                  for (const table of document.querySelectorAll('table')) {
                    if (!table.querySelector('thead th')) p.push('a table without column headers');
                    if (!table.querySelector('caption')) p.push('a table without a caption');
                  }
                  for (const th of document.querySelectorAll('th')) if (!['col', 'row'].includes(th.getAttribute('scope'))) p.push('<th> without scope: ' + th.textContent.trim());
                  for (const svg of document.querySelectorAll('svg')) {
                    const title = svg.querySelector(':scope > title');
                    if (!title || !title.textContent.trim()) p.push('<svg> without a title');
                    if (svg.getAttribute('role') !== 'img') p.push('<svg> without role=img');
                  }
                  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) p.push('<img> without alt');
                  for (const field of document.querySelectorAll('input:not([type=hidden]), select'))
                    if (!field.labels?.length && !field.getAttribute('aria-label')) p.push('unlabelled field ' + field.name);
                  for (const a of document.querySelectorAll('a')) if (!a.textContent.trim() && !a.getAttribute('aria-label')) p.push('a link without text: ' + a.href);
                  return p;
                }
                """);
}
