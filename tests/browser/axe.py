"""axe-core from npm (tests/browser/package.json, installed by `make test`) injected into the page and run with
the WCAG 2.1 A/AA rules, and small helpers the browser tests share: where screenshots go, and the page's own
checks (focus indicator, reflow)."""

from pathlib import Path

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG21_AA}, "resultTypes": ["violations"]}

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
if not AXE_JS.exists():
    raise RuntimeError(f"{AXE_JS} is missing: run `npm ci --prefix tests/browser` (make test does it)")
AXE_SCRIPT = AXE_JS.read_text()

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def violations(page) -> list[str]:
    """One line per violated rule: rule id, what it asks, and up to three elements (with their HTML)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Sent to the browser once per context; from then on every page of that context loads it by itself.
        page.context.add_init_script(script=AXE_SCRIPT)
        page.evaluate(AXE_SCRIPT)
    results = {"violations": page.evaluate("options => axe.run(document, options)", OPTIONS)["violations"]}
    lines = []
    for v in results["violations"]:
        nodes = [f"{n['target']} {n.get('html', '')[:160]}" for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])}× – {nodes}")
    return lines


def screenshot_dir(name: str) -> Path:
    folder = OUTPUT / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Marks every element of the document with its position, so that the element focused after each Tab can be
# named, and reads whether the focused element shows a focus indicator.
MARK_ELEMENTS = "() => { document.querySelectorAll('*').forEach((el, i) => { el.__ffIndex = i; }); }"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {index: el.__ffIndex ?? -1, tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          id: el.id || '', text: (el.innerText || el.value || '').trim().slice(0, 40),
          indicator: outline || shadow, outline: style.outlineStyle + ' ' + style.outlineWidth,
          shadow: style.boxShadow};
}"""

# The controls a keyboard user must reach in the step's main form: visible, enabled, not hidden inputs. Of a radio
# group only one button is a Tab stop (the arrow keys move within the group), so the group counts once.
FORM_CONTROLS = """(selector) => {
  const out = [];
  const groups = new Set();
  for (const form of document.querySelectorAll(selector)) {
    for (const el of form.querySelectorAll('input, select, textarea, button')) {
      if (el.disabled || el.type === 'hidden') continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if ((r.width === 0 && r.height === 0) || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
      if (el.type === 'radio') {
        if (groups.has(el.name)) continue;
        groups.add(el.name);
        const group = [...form.querySelectorAll('input[type=radio]')].filter(r => r.name === el.name)
          .map(r => r.__ffIndex);
        out.push({indexes: group, name: el.name, tag: 'radio group'});
        continue;
      }
      out.push({indexes: [el.__ffIndex], name: el.name || el.id || (el.innerText || '').trim().slice(0, 40),
                tag: el.tagName.toLowerCase()});
    }
  }
  return out;
}"""


def tab_through(page, limit=250) -> list[dict]:
    """Press Tab from the top of the page until the focus comes back to an element it has visited; returns the
    focused elements in order."""
    page.evaluate(MARK_ELEMENTS)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen, order = set(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            if order:  # the focus left the document after the last element: one round is done
                break
            continue
        if order and focused["index"] == order[-1]["index"]:
            continue  # Tab moves between the day, month and year of a date field
        if focused["index"] in seen:
            break
        seen.add(focused["index"])
        order.append(focused)
    return order


def check_page(page, path, action=None, *, statuses=(200,), exact_url=False):
    """Open `path`, optionally act on it (e.g. a failed submit), and assert axe finds no violation. The page
    must answer with one of `statuses` (and, with `exact_url`, stay at `path`). Returns the page."""
    response = page.goto(page.base + path)
    assert response.status in statuses, f"{path} answered {response.status} at {page.url}"
    if exact_url:
        assert page.url == page.base + path, f"{path} landed at {page.url}"
    if action:
        action(page)
        page.wait_for_load_state()
    found = violations(page)
    assert found == [], f"{path}: {found}"
    return page
