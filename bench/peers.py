"""Side by side (issue 20): our PDF step against mkdocs-print-site-plugin printed by Chromium.

    .venv/bin/python bench/peers.py [--runs 3] [--timeout 900] [--budget-ms 20000]
                                    [--chromium /usr/bin/chromium] [--keep DIR] [--out bench/results-peers.md]
    .venv/bin/python bench/peers.py --setup-only      # only make the peer's venv

What each side makes from the same content:

- ours: `python -m curriculum build` (the site, then tagged PDF/UA documents: one per handout and
  lesson, a packet per grade band and a staff packet, joined with their bookmarks) from an empty
  .cache/pdf, so every PDF is rendered (a cold build);
- peer: a common way to print a whole MkDocs site: mkdocs-print-site-plugin adds one print page
  holding every page of the nav, and a browser prints it (Debian's Chromium, headless,
  --print-to-pdf) into one book. The same MkDocs, Material and macros versions as
  requirements.lock, and our curriculum plugin (lessons, handouts, generated pages, rules) runs too,
  with our PDF step off (`pdf: false`) and our site checks off (they reject the print page, whose
  links print-site rewrites; the results say what they find there).

How it measures:

- The peer runs in its own venv, .cache/bench-peers/venv: requirements.lock, this project
  installed editable (so our plugin and its entry point are there) and the pinned
  mkdocs-print-site-plugin (PEER_VERSION), all from the package registry. It is made once and made
  again when requirements.lock or the pin changes.
- Each run builds a fresh temporary copy of the project on each side (nothing is cached: a cold
  build), ours and the peer's interleaved, their order swapped every run, so both see the same
  machine. Wall time is time.perf_counter(); CPU time (user + system) covers that side's commands:
  the build and its PDF workers (the children's rusage), or the build and every Chromium process
  (rusage misses Chromium's helper processes, so their CPU times are read from /proc; see
  run_step). The load average (os.getloadavg) is read before and after each run.
- Pages are counted with pypdf. Ours: every PDF in site/pdf/ (a handout is in its own PDF and in its
  packets), and apart from that the pages of distinct documents (each page printed once: the
  per-document PDFs, plus what only a packet holds: covers, contents and the staff guide pages).
  Peer: the book. Reported: medians over --runs, wall and CPU seconds per output page, and ours /
  peer per page. On a busy machine CPU per page is the steadier figure.
- What each PDF holds: whether it is tagged (/StructTreeRoot), its bookmarks, and whether the text
  inside collapsed blocks (<details>, such as the disclosure protocol every lesson includes) and
  inactive tabs reaches the paper.

Chromium: `apt-get install chromium` (Debian; or `make test-system-deps`), or --chromium PATH. It is
started with no network (every host but 127.0.0.1 unresolvable), a new profile each time, and is
killed, with every process it started, after --timeout seconds. Every copy, profile and PDF lives in
one temporary folder, removed at the end (also when a step fails); --keep DIR keeps the last PDFs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mkdocs_yaml  # noqa: E402  (bench/mkdocs_yaml.py)

PEER = "mkdocs-print-site-plugin"
PEER_VERSION = "2.9"          # the newest on the registry when this was written; needs mkdocs<=1.6.1
PEER_VENV = ROOT / ".cache" / "bench-peers" / "venv"
SAME_VERSIONS = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin")
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                     ".pytest_cache", "*.egg-info", "bench")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic", "--disable-extensions",
    "--disable-default-apps", "--run-all-compositor-stages-before-draw", "--no-pdf-header-footer",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL_HINT = ("Install it with `apt-get update && apt-get install -y chromium` (Debian's package; "
                "`make test-system-deps` does the same), or pass --chromium PATH.")


# -- the peer's venv --------------------------------------------------------------------------------
def lock_versions() -> dict[str, str]:
    versions = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            versions[name.strip().lower().replace("_", "-")] = version.strip()
    return versions


def peer_python() -> Path:
    return PEER_VENV / "bin" / "python"


def setup_peer(log=print) -> dict[str, str]:
    """Make (or reuse) the peer's venv; return the versions it runs. Exits with the pip output on failure."""
    stamp = hashlib.sha256((ROOT / "requirements.lock").read_bytes() + PEER_VERSION.encode()).hexdigest()
    marker = PEER_VENV / ".bench-peers-installed"
    if not (marker.is_file() and marker.read_text() == stamp and peer_python().exists()):
        log(f"setting up {PEER_VENV.relative_to(ROOT)} ({PEER}=={PEER_VERSION}, requirements.lock, this project)...")
        shutil.rmtree(PEER_VENV, ignore_errors=True)
        base = getattr(sys, "_base_executable", sys.executable)
        steps = [[base, "-m", "venv", str(PEER_VENV)],
                 [str(peer_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-r", str(ROOT / "requirements.lock"), f"{PEER}=={PEER_VERSION}"],
                 [str(peer_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "--no-deps", "-e", str(ROOT)]]
        for step in steps:
            out = subprocess.run(step, capture_output=True, text=True)
            if out.returncode != 0:
                noise = "WARNING: Location"
                text = "\n".join(line for line in (out.stdout + out.stderr).splitlines() if noise not in line)
                sys.exit(f"setting up the peer's venv failed: {' '.join(step)}\n{text[-3000:]}")
        marker.write_text(stamp)
    out = subprocess.run([str(peer_python()), "-c", "import json, importlib.metadata as m; print(json.dumps("
                          f"{{n: m.version(n) for n in {[*SAME_VERSIONS, PEER]!r}}}))"],
                         capture_output=True, text=True, check=True)
    versions = json.loads(out.stdout)
    lock = lock_versions()
    wrong = [f"{n} {versions[n]} (requirements.lock: {lock.get(n)})"
             for n in SAME_VERSIONS if versions[n] != lock.get(n)]
    if wrong:
        sys.exit(f"the peer's venv does not run the versions we do: {', '.join(wrong)}. Delete {PEER_VENV} "
                 "and run again.")
    return versions


def find_chromium(path: str | None) -> str:
    found = path or os.environ.get("CURRICULUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file() or not os.access(found, os.X_OK):
        sys.exit(f"Chromium is not installed ({found} not found). {INSTALL_HINT}")
    return found


# -- measuring a command ------------------------------------------------------------------------------
@dataclass
class Side:
    seconds: float = 0.0
    cpu: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)     # wall seconds of each command
    step_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each command
    pdf_step: float | None = None       # ours: the PDF step's own seconds, from the build's summary line


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


TICK = os.sysconf("SC_CLK_TCK")


def session_cpu(session: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds (user + system, from /proc) of every live process of ``session``."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[3]) == session:                          # the session id
            seen[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK


def run_step(side: Side, name: str, command: list[str], cwd: Path, env: dict, timeout: float) -> str:
    """Run one command of a side in a session of its own; add its wall and CPU time to ``side``.

    CPU time is the larger of two readings. The children's rusage covers every process that its
    parent waited for (the build and its PDF workers), but not Chromium's helper processes, which
    their parents never reap (rusage saw 3 of Chromium's 18 CPU seconds); so the session's
    processes are also read from /proc every 0.2 s. After ``timeout`` seconds the whole session
    (Chromium's helpers too) is killed and the benchmark stops with the command's output; it is
    killed as well if the benchmark itself is stopped.
    """
    cpu, started, seen = children_cpu(), time.perf_counter(), dict[int, float]()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            while proc.poll() is None:
                session_cpu(proc.pid, seen)
                if time.perf_counter() - started > timeout:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    log.seek(0)
                    sys.exit(f"{name} did not finish in {timeout:.0f} s and was killed (raise --timeout on a "
                             f"busy machine):\n{log.read().decode(errors='replace')[-3000:]}")
                time.sleep(0.2)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)       # anything it left behind
        log.seek(0)
        output = log.read().decode(errors="replace")
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{name} failed (exit {proc.returncode}): {' '.join(command)}\n{output[-4000:]}")
    side.steps[name] = side.steps.get(name, 0.0) + seconds
    side.seconds += seconds
    used = max(children_cpu() - cpu, sum(seen.values()))
    side.step_cpu[name] = side.step_cpu.get(name, 0.0) + used
    side.cpu += used
    return output


# -- the two sides ------------------------------------------------------------------------------------
def copy_project(into: Path) -> Path:
    shutil.copytree(ROOT, into, ignore=COPY_IGNORE, symlinks=True)
    return into


def peer_config(project: Path) -> None:
    """The copy's mkdocs.yml: our PDF step off, print-site added as the last plugin (as its docs ask).

    Our site checks are off too: they reject the print page (print-site turns links such as
    `sms:741741?body=home` into in-page anchors that do not exist), so the peer's build could not
    pass with them. ``describe`` reports what they find there instead.
    """
    config = mkdocs_yaml.load(project / "mkdocs.yml")
    options = mkdocs_yaml.plugin_options(config, "curriculum")
    options["pdf"] = False
    options["site_checks"] = False
    config["plugins"].append({"print-site": {"print_page_title": config.get("site_name", "Print Site"),
                                             "add_to_navigation": False}})
    (project / "mkdocs.yml").write_text(mkdocs_yaml.dump(config))


def ours(work: Path, timeout: float) -> tuple[Side, Path]:
    project = copy_project(work / "ours")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "1"}
    side = Side()
    output = run_step(side, "python -m curriculum build", [sys.executable, "-m", "curriculum", "build"], project,
                      env, timeout)
    # The PDF step's summary, e.g. "56 PDFs, 344 pages: 56 rendered, 0 from the cache (24.0 s, 2 workers)".
    summary = re.findall(r"\d+ PDFs, \d+ pages: \d+ rendered, \d+ from the cache \(([\d.]+) s", output)
    side.pdf_step = float(summary[-1]) if summary else None
    return side, project / "site"


def peer(work: Path, chromium: str, timeout: float, budget_ms: int) -> tuple[Side, Path, Path]:
    project = copy_project(work / "peer")
    peer_config(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "0", "PYTHONPATH": str(project)}
    site = project / "site"
    side = Side()
    run_step(side, "mkdocs build", [str(peer_python()), "-m", "mkdocs", "build", "--strict", "-d", str(site)],
             project, env, timeout)
    page = site / "print_page" / "index.html"
    if not page.is_file():
        sys.exit(f"{PEER} made no print page ({page.relative_to(work)} is missing)")
    book = work / "peer-book.pdf"
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=work))
    run_step(side, "chromium --print-to-pdf",
             [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
              f"--print-to-pdf={book}", page.as_uri()], work, {**os.environ, "HOME": str(profile)}, timeout)
    if not book.is_file() or book.stat().st_size == 0:
        sys.exit("Chromium exited without writing the PDF")
    return side, site, book


# -- what the PDFs hold -------------------------------------------------------------------------------
def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def pdf_facts(path: Path) -> dict:
    from pypdf import PdfReader
    reader = PdfReader(path)
    root = reader.root_object

    def count(items) -> int:
        return sum(count(i) if isinstance(i, list) else 1 for i in items)

    return {"pages": len(reader.pages), "tagged": "/StructTreeRoot" in root, "bookmarks": count(reader.outline),
            "bytes": path.stat().st_size}


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return normalize(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("’", "'")).strip().lower()


def distinct_pages(pdf_dir: Path) -> tuple[int, int, int]:
    """(all pages, pages of distinct documents, number of PDFs) of our site/pdf/.

    A packet holds the very PDFs published for its handouts and lessons. Its bookmarks name its
    documents (the second level: sections, then documents) and where each starts; a document whose
    title and length are those of a per-document PDF is not counted again. What is left is what only
    a packet holds: its cover and contents, and the staff guide pages.
    """
    from pypdf import PdfReader
    files = sorted(pdf_dir.glob("*.pdf"))
    published: Counter[tuple[str, int]] = Counter()
    total = distinct = 0
    for f in files:
        reader = PdfReader(f)
        total += len(reader.pages)
        if not f.name.startswith("packet-"):
            distinct += len(reader.pages)
            # A packet's bookmark is the document's first heading, which its own first bookmark is too.
            first = next((item.title or "" for item in reader.outline if not isinstance(item, list)), "")
            published[(normalize(first), len(reader.pages))] += 1
    for f in files:
        if not f.name.startswith("packet-"):
            continue
        reader = PdfReader(f)
        starts = [(normalize(doc.title or ""), reader.get_destination_page_number(doc) or 0)
                  for section in reader.outline if isinstance(section, list)
                  for doc in section if not isinstance(doc, list)]
        ends = [start for _, start in starts[1:]] + [len(reader.pages)]
        distinct += starts[0][1] if starts else len(reader.pages)          # cover and contents
        for (title, start), end in zip(starts, ends, strict=True):
            if published[(title, end - start)] == 0:
                distinct += end - start
    return total, distinct, len(files)


def hidden_blocks(print_page: Path) -> list[tuple[str, str]]:
    """(kind, a sentence of its body) of every block a printed web page hides: a closed <details>,
    an inactive tab."""
    from lxml import html as lxml_html
    root = lxml_html.parse(str(print_page)).getroot()
    blocks = []
    for details in root.iter("details"):
        if details.get("open") is None:
            body = " ".join(t for child in details if child.tag != "summary" for t in child.itertext())
            blocks.append(("collapsed block", body))
    for tabs in root.find_class("tabbed-set"):
        panels = tabs.find_class("tabbed-block")
        for panel in panels[1:]:
            blocks.append(("inactive tab", " ".join(panel.itertext())))
    return [(kind, _sample(text)) for kind, text in blocks if _sample(text)]


def _sample(text: str, words: int = 8) -> str:
    return " ".join(normalize(text).split()[:words])


# -- the benchmark --------------------------------------------------------------------------------------
def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def machine_note(versions: dict[str, str], chromium: str) -> str:
    names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), flags=re.M)
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    return (f"Machine: {len(os.sched_getaffinity(0))} cores ({names[0].strip() if names else 'unknown CPU'}), "
            f"Python {platform.python_version()}; {PEER} {versions[PEER]} with mkdocs {versions['mkdocs']}, "
            f"Material {versions['mkdocs-material']}, macros {versions['mkdocs-macros-plugin']}; "
            f"{version or chromium}. Measured {time.strftime('%Y-%m-%d %H:%M')}.")


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="interleaved pairs of cold builds (median)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a hung build or Chromium is killed")
    parser.add_argument("--budget-ms", type=int, default=20000,
                        help="Chromium's --virtual-time-budget: how long the print page's scripts may run")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH, /usr/bin/chromium)")
    parser.add_argument("--keep", type=Path, help="copy the last run's PDFs (ours and the peer's book) here")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-peers.md")
    parser.add_argument("--note", default="", help="a sentence added to the results (e.g. 'smoke run')")
    parser.add_argument("--setup-only", action="store_true", help="only make the peer's venv")
    args = parser.parse_args()
    chromium = find_chromium(args.chromium)
    versions = setup_peer()
    if args.setup_only:
        print(f"peer venv ready: {PEER_VENV} ({', '.join(f'{k} {v}' for k, v in versions.items())})")
        return 0
    note = machine_note(versions, chromium)
    print(note, flush=True)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as temp:
        for i in range(max(1, args.runs)):
            work = Path(temp) / f"run-{i + 1}"
            work.mkdir()
            run: dict = {"load_before": load()}
            order = ("ours", "peer") if i % 2 == 0 else ("peer", "ours")
            for name in order:
                if name == "ours":
                    run["ours"], ours_site = ours(work, args.timeout)
                else:
                    run["peer"], peer_site, book = peer(work, chromium, args.timeout, args.budget_ms)
            run["load_after"] = load()
            run["ours_pages"], run["ours_distinct"], run["ours_pdfs"] = distinct_pages(ours_site / "pdf")
            run["peer_pages"] = pdf_pages(book)
            runs.append(run)
            print(f"  run {i + 1} ({' then '.join(order)}): ours {run['ours'].seconds:.1f} s, CPU "
                  f"{run['ours'].cpu:.1f} s, {run['ours_pdfs']} PDFs, {run['ours_pages']} pages "
                  f"({run['ours_distinct']} distinct); peer {run['peer'].seconds:.1f} s "
                  f"({', '.join(f'{k} {v:.1f} s' for k, v in run['peer'].steps.items())}), CPU "
                  f"{run['peer'].cpu:.1f} s, {run['peer_pages']} pages; load {run['load_before']} -> "
                  f"{run['load_after']}", flush=True)
            if i == max(1, args.runs) - 1:
                print("reading what the PDFs hold...", flush=True)
                contents = describe(ours_site, peer_site, book)
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copytree(ours_site / "pdf", args.keep / "ours", dirs_exist_ok=True)
                    shutil.copy(book, args.keep / "peer-book.pdf")
            shutil.rmtree(work, ignore_errors=True)
    text = report(runs, contents, note, args.note)
    args.out.write_text(text)
    print(text)
    return 0


def describe(ours_site: Path, peer_site: Path, book: Path) -> dict:
    """What the two sides made, beyond their page counts."""
    files = sorted((ours_site / "pdf").glob("*.pdf"))
    facts = {f.name: pdf_facts(f) for f in files}
    packets = [n for n in facts if n.startswith("packet-")]
    lessons = [f for f in files if not f.name.startswith("packet-") and _is_lesson(f, ours_site)]
    hidden = hidden_blocks(peer_site / "print_page" / "index.html")
    book_text = pdf_text(book)
    ours_text = " ".join(pdf_text(f) for f in lessons)
    kinds: dict[str, list[int]] = {}           # kind -> [blocks hidden, of them printed]
    for (kind, sample), n in Counter(hidden).items():
        found = kinds.setdefault(kind, [0, 0])
        found[0] += n
        found[1] += min(n, book_text.count(sample))
    protocol = _sample(_protocol_text())
    return {
        "peer_broken": broken_links(peer_site, "print_page/index.html"),
        "ours_pdfs": len(files), "ours_tagged": sum(f["tagged"] for f in facts.values()),
        "ours_packets": len(packets), "ours_packet_bookmarks": sum(facts[n]["bookmarks"] for n in packets),
        "ours_bytes": sum(f["bytes"] for f in facts.values()), "ours_lessons": len(lessons),
        "ours_protocol": ours_text.count(protocol) if protocol else 0,
        "peer": pdf_facts(book), "peer_hidden": kinds,
        "peer_protocol": book_text.count(protocol) if protocol else 0, "protocol_sample": protocol,
    }


def broken_links(site: Path, page: str) -> dict[str, int] | None:
    """Our site check's broken links and anchors on one page, by kind (None if the check is not there)."""
    try:
        sys.path.insert(0, str(ROOT))
        from curriculum import htmlcheck
        problems = htmlcheck.broken_links(site)
    except (ImportError, AttributeError, TypeError) as error:        # the engine changed: say so, go on
        print(f"note: the site check of the print page was skipped ({error})", file=sys.stderr)
        return None
    kinds: Counter[str] = Counter()
    for problem in problems:
        if str(problem.path).endswith(page):
            message = str(problem.message)
            kinds["sms: link(s) turned into anchors" if "sms:" in message else
                  "other broken anchor(s)" if message.startswith("broken anchor") else "broken link(s)"] += 1
    return dict(kinds)


def _is_lesson(pdf: Path, site: Path) -> bool:
    """A lesson plan's PDF is pdf/<band>-<file stem>.pdf, its page lessons/<band>/<file stem>/."""
    return any((site / "lessons" / band / pdf.stem.removeprefix(band + "-")).is_dir()
               for band in ("k-2", "3-5", "6-8", "9-12") if pdf.stem.startswith(band + "-"))


def _protocol_text() -> str:
    """The first words of the disclosure protocol's body, as it is printed (below its summary)."""
    path = ROOT / "snippets" / "disclosure-protocol.md"
    if not path.is_file():
        return ""
    body = [line.strip() for line in path.read_text().splitlines()[1:] if line.strip()]
    return re.sub(r"[*_`]", "", " ".join(body))


def report(runs: list[dict], contents: dict, machine: str, extra: str) -> str:
    def med(key: str, attr: str) -> float:
        return median([getattr(r[key], attr) for r in runs])

    ours_s, peer_s = med("ours", "seconds"), med("peer", "seconds")
    ours_cpu, peer_cpu = med("ours", "cpu"), med("peer", "cpu")
    pages, distinct = median([r["ours_pages"] for r in runs]), median([r["ours_distinct"] for r in runs])
    book = median([r["peer_pages"] for r in runs])
    per_ours, per_distinct, per_peer = ours_s / pages, ours_s / distinct, peer_s / book
    steps = {k: median([r["peer"].steps[k] for r in runs]) for k in runs[0]["peer"].steps}
    step_cpu = {k: median([r["peer"].step_cpu[k] for r in runs]) for k in runs[0]["peer"].step_cpu}
    pdf_steps = [r["ours"].pdf_step for r in runs if r["ours"].pdf_step is not None]
    pdf_step = f" (PDF step {median(pdf_steps):.1f} s)" if pdf_steps else ""
    loads = "; ".join(f"run {i + 1}: {r['load_before']} before, {r['load_after']} after" for i, r in enumerate(runs))
    c, p = contents, contents["peer"]
    hidden = ", ".join(f"{n} {kind}(s), text of {found} of them printed"
                       for kind, (n, found) in c["peer_hidden"].items())
    broken = ("not checked" if c["peer_broken"] is None else
              ", ".join(f"{n} {kind}" for kind, n in c["peer_broken"].items()) or "nothing")
    smoke = (f"**Smoke run ({len(runs)} pair{'s' if len(runs) != 1 else ''}, fewer than 3): it shows the script "
             "works; its figures are not results.** ") if len(runs) < 3 else ""
    lines = [
        "# Benchmark results: our PDFs against mkdocs-print-site-plugin + Chromium", "",
        "Written by `bench/peers.py` (rerun it to refresh). " + machine, "",
        smoke + (extra + " " if extra else "")
        + f"Median of {len(runs)} interleaved pair{'s' if len(runs) != 1 else ''} "
        f"of cold builds (each side from a fresh copy of the project). Load average (1, 5, 15 min): {loads}.", "",
        "| Side | What it makes | Wall (median) | CPU | Output pages | Seconds per page |",
        "|---|---|---:|---:|---:|---:|",
        f"| ours: `python -m curriculum build`, empty PDF cache | site + {c['ours_pdfs']} PDFs "
        f"({c['ours_pdfs'] - c['ours_packets']} documents, {c['ours_packets']} packets) | {ours_s:.1f} s{pdf_step} | "
        f"{ours_cpu:.1f} s | {pages:.0f} ({distinct:.0f} distinct) | {per_ours:.3f} "
        f"({per_distinct:.3f} per distinct page) |",
        f"| peer: mkdocs build with print-site, then Chromium prints print_page/ | site + 1 book | {peer_s:.1f} s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in steps.items())}) | {peer_cpu:.1f} s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in step_cpu.items())}) | {book:.0f} | {per_peer:.3f} |",
        "",
        f"**Ours / peer per output page: {per_ours / per_peer:.2f}x** ({per_distinct / per_peer:.2f}x per distinct "
        f"page); in CPU seconds per page {(ours_cpu / pages) / (peer_cpu / book):.2f}x "
        f"({(ours_cpu / distinct) / (peer_cpu / book):.2f}x per distinct page). Whole build: {ours_s / peer_s:.2f}x "
        f"the peer's wall time, {ours_cpu / peer_cpu:.2f}x its CPU time.",
        "",
        "What each side makes:", "",
        f"- ours: {c['ours_pdfs']} PDFs, {c['ours_tagged']} of them tagged (PDF/UA structure tree), "
        f"{c['ours_bytes'] / 1024 ** 2:.1f} MB: one per handout and lesson plan, and {c['ours_packets']} packets "
        f"with {c['ours_packet_bookmarks']} bookmarks in all. Every page is a handout, a lesson plan or a staff "
        "guide page, on our print template; family guides, catalogs and glossaries are web pages only.",
        f"- peer: one book of {p['pages']} pages, "
        f"{'tagged by Chromium (its tags not checked here)' if p['tagged'] else 'untagged'}, "
        f"{p['bookmarks']} bookmarks, {p['bytes'] / 1024 ** 2:.1f} MB: every page of the nav (also the family "
        "guides, catalogs, glossaries, resources and about pages) as Material prints it.",
        f"- Blocks a browser hides when it prints: the print page has {hidden or 'none'}. The disclosure "
        f"protocol (a collapsed block every lesson includes; its body begins \"{c['protocol_sample']}\") "
        f"is printed {c['peer_protocol']} times in the peer's book and {c['ours_protocol']} times in our "
        f"{c['ours_lessons']} lesson plans (our print path opens every <details>).",
        f"- Links: our site check, run on the print page, finds {broken}: print-site rewrites the `sms:` links "
        "(text HOME to 741741) into anchors of the print page that do not exist. So the peer "
        "builds with our site checks off (ours run them).",
        "",
        "Notes: a cold build is the worst case for us (a warm rebuild copies unchanged PDFs from "
        ".cache/pdf: bench/pdf.py). Seconds per page is a rough common measure: the sides make different "
        f"things (one {'' if p['tagged'] else 'untagged '}book of the whole site with no bookmarks"
        f"{'' if not p['bookmarks'] else ' (' + str(p['bookmarks']) + ')'}, against tagged documents and "
        "packets of the print material only), and the peer has no cache to fall back on.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
