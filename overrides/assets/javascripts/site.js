/* The site's own script. It is a file, loaded in <head> by overrides/partials/javascripts/base.html,
   not inline, so the Content-Security-Policy in deploy/nginx.conf needs no 'unsafe-inline'. */

/* Material 9.8's inline globals (its partials/javascripts/base.html), unchanged except that the scope
   comes from this tag's data-md-scope attribute (the page's base_url) instead of a per-page inline script. */
var __md_scope = new URL(document.currentScript.getAttribute("data-md-scope") || ".", location),
  __md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0),
  __md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e)),
  __md_set = (e, _, t = localStorage, a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {} };

/* The search index is downloaded when a visitor first opens search, not with every page.

   Why: the index holds the text of the whole site (about 0.5 MB now, and it grows with the content)
   and was most of a page's first-load weight (bench/results-build.md, "Page weight"). Material
   requests it with XMLHttpRequest as soon as a page loads; this holds that one request back until
   the search box gets focus or the search toggle opens (keyboard shortcut, click, or tap), then
   sends it. A page opened from a search result (?h=...) loads it at once, for highlighting.
   Trade-off: the first search on a page waits for the download ("Initializing search" shows
   meanwhile). If a later Material loads the index differently, nothing here matches and the index
   is simply loaded eagerly again (tests/test_browser.py checks the behaviour). From file:// (the
   offline kit) Material loads search/search_index.js with a script tag instead, untouched here. */
(function () {
  var X = window.XMLHttpRequest && XMLHttpRequest.prototype;
  if (!X || /[?&]h=/.test(location.search)) return;
  var open = X.open, send = X.send, ready = false, held = [];
  X.open = function (m, url) {
    this.__firIndex = /\/search\/search_index\.json([?#]|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  X.send = function () {
    if (ready || !this.__firIndex) return send.apply(this, arguments);
    held.push([this, arguments]);
  };
  function go() {
    if (ready) return;
    ready = true;
    held.splice(0).forEach(function (h) { try { send.apply(h[0], h[1]) } catch (e) {} });
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search" && e.target.checked) go();
  }, true);
  document.addEventListener("focusin", function (e) {
    if (e.target && e.target.classList && e.target.classList.contains("md-search__input")) go();
  }, true);
})();

/* The "Print" button next to the download buttons (overrides/main.html): a data attribute and one
   listener here, instead of an onclick="" handler in every page. */
document.addEventListener("click", function (e) {
  var button = e.target instanceof Element && e.target.closest("[data-fir-print]");
  if (button) {
    e.preventDefault();
    window.print();
  }
});
