"""A deck as a present view in the built site (site/decks/<slug>.html): one self-contained page that
works offline and from file://, with no request to any other site (its font is the site's own).

Arrow keys, Page Up/Down and Space move between slides, Home and End go to the first and last, F
or the button goes full screen, N or the button shows the speaker notes (hidden by default: the room
never sees them unless the presenter asks). Without JavaScript every slide shows, one after another.
"""

from __future__ import annotations

from html import escape

from .model import Deck, Slide, slide_title

CSS = """
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: 400; font-display: swap;
  src: url("../assets/fonts/atkinson-hyperlegible-latin-400-normal.woff2") format("woff2"); }
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: 700; font-display: swap;
  src: url("../assets/fonts/atkinson-hyperlegible-latin-700-normal.woff2") format("woff2"); }
* { box-sizing: border-box; }
html, body { margin: 0; background: #fff; color: #1b1b1b;
  font-family: "Atkinson Hyperlegible", "DejaVu Sans", Arial, sans-serif; }
main { display: block; }
.slide { aspect-ratio: 16 / 9; width: min(100vw, calc((100vh - 4rem) * 16 / 9)); margin: 0 auto 1rem;
  padding: 3vmin 5vmin; border-bottom: 2px solid #4a2c8f; overflow: auto;
  font-size: min(3.2vw, calc((100vh - 4rem) * 0.057)); }
.slide h2 { color: #331d66; font-size: 1.3em; margin: 0 0 .6em; text-align: center; }
.slide.title h2 { font-size: 1.6em; margin-top: 18%; }
.slide p, .slide li { font-size: 1em; line-height: 1.25; margin: 0 0 .45em; }
.slide .subtitle { text-align: center; }
.notes { border-top: 2px dashed #4a2c8f; margin-top: 1em; padding-top: .5em; font-size: .6em; }
.notes h3 { margin: 0 0 .3em; font-size: 1em; }
.js .slide { display: none; margin-bottom: 0; border: 0; }
.js .slide.current { display: block; }
.js .notes { display: none; }
.js.show-notes .notes { display: block; }
nav.controls { display: flex; gap: .5rem; justify-content: center; align-items: center; padding: .5rem;
  background: #f3f0fa; position: sticky; bottom: 0; flex-wrap: wrap; }
nav.controls button, nav.controls a { font: inherit; font-size: 1rem; min-height: 44px; min-width: 44px;
  padding: .4rem .9rem; border: 2px solid #4a2c8f; border-radius: 4px; background: #fff; color: #331d66;
  text-decoration: none; display: inline-flex; align-items: center; cursor: pointer; }
nav.controls button:focus-visible, nav.controls a:focus-visible { outline: 3px solid #8a1c5c; outline-offset: 2px; }
nav.controls [aria-pressed="true"] { background: #331d66; color: #fff; }
.count { min-width: 5em; text-align: center; }
:fullscreen nav.controls { opacity: .85; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

JS = """
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var count = document.getElementById("count");
  var notes = document.getElementById("notes");
  var at = 0;
  function show(index) {
    at = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (s, i) { s.classList.toggle("current", i === at); s.hidden = i !== at; });
    count.textContent = "Slide " + (at + 1) + " of " + slides.length;
    if (location.hash !== "#" + (at + 1)) history.replaceState(null, "", "#" + (at + 1));
  }
  function full() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen();
  }
  function toggleNotes() {
    var on = root.classList.toggle("show-notes");
    notes.setAttribute("aria-pressed", on ? "true" : "false");
  }
  document.getElementById("prev").addEventListener("click", function () { show(at - 1); });
  document.getElementById("next").addEventListener("click", function () { show(at + 1); });
  document.getElementById("full").addEventListener("click", full);
  notes.addEventListener("click", toggleNotes);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target && e.target.tagName) || "";
    var key = e.key;
    if (key === "ArrowRight" || key === "PageDown" || (key === " " && tag !== "BUTTON" && tag !== "A")) show(at + 1);
    else if (key === "ArrowLeft" || key === "PageUp") show(at - 1);
    else if (key === "Home") show(0);
    else if (key === "End") show(slides.length - 1);
    else if (key === "f" || key === "F") full();
    else if (key === "n" || key === "N") toggleNotes();
    else return;
    e.preventDefault();
  });
  var start = parseInt(location.hash.slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
"""


def _slide(slide: Slide, number: int, total: int) -> str:
    title = escape(slide_title(slide))
    parts = [f'<section class="slide {slide.kind}" id="slide-{number}" aria-roledescription="slide" '
             f'aria-label="{number} of {total}: {title}">', f"<h2>{title}</h2>"]
    if slide.subtitle:
        parts += [f'<p class="subtitle">{escape(line)}</p>' for line in slide.subtitle.split("\n")]
    if slide.body and slide.bullets:
        parts.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in slide.body) + "</ul>")
    else:
        parts += [f"<p>{escape(text)}</p>" for text in slide.body]
    if slide.notes:
        parts.append('<aside class="notes" aria-label="Speaker notes"><h3>Speaker notes</h3>'
                     + "".join(f"<p>{escape(n)}</p>" for n in slide.notes) + "</aside>")
    parts.append("</section>")
    return "".join(parts)


def present_html(deck: Deck, back_href: str, back_label: str = "Back to the lesson") -> str:
    """The present view of a paginated deck; ``back_href`` is relative to site/decks/."""
    total = len(deck.slides)
    slides = "\n".join(_slide(s, n, total) for n, s in enumerate(deck.slides, 1))
    title = escape(deck.title)
    return f"""<!doctype html>
<html lang="{escape(deck.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slides: {title}</title>
<style>{CSS}</style>
</head>
<body>
<main aria-roledescription="carousel" aria-label="Slides: {title}">
<h1 class="visually-hidden">Slides: {title}</h1>
{slides}
</main>
<nav class="controls" aria-label="Slide controls">
<button type="button" id="prev">Previous</button>
<span class="count" id="count" aria-live="polite">{total} slides</span>
<button type="button" id="next">Next</button>
<button type="button" id="full">Full screen</button>
<button type="button" id="notes" aria-pressed="false">Speaker notes</button>
<a href="{escape(back_href)}">{escape(back_label)}</a>
</nav>
<script>{JS}</script>
</body>
</html>
"""
