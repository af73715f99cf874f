"""A local Sphinx extension (``sphinx.local_extensions`` in ``_config.yml``): fixes to the HTML pages.

It lives in ``_ext/`` with the other book sources (``_static/``, ``_templates/``), so that any build
of the book's sources finds it. A change to it is not noticed by Sphinx (it re-renders pages only
when their sources change), so ``tools/booktools/build.py`` counts it in its fingerprint.

Duplicate inline scripts. Sphinx 7.4 re-adds every script registered by an extension when it
starts writing (``StandaloneHTMLBuilder.prepare_writing``), as ``filename or ""``, while
``app.add_js_file(None, body=...)`` after the builder started had stored it with
``filename=None``; the two copies compare unequal, so both end up in every page. For
sphinx-thebe's ``const THEBE_JS_URL = ...`` the second copy is a JavaScript error
("Identifier 'THEBE_JS_URL' has already been declared") on every page, which the browser
tests (``tests/book/test_book_build.py``) report. This extension drops the later copy of any
script identical to an earlier one.

Wide display equations reachable by keyboard. ``_static/regbook.css`` lets a display equation
wider than the page scroll sideways inside its own box rather than be cut off. A box that scrolls
must be reachable with the keyboard (WCAG 2.1.1; axe-core's rule ``scrollable-region-focusable``).
pydata-sphinx-theme gives such boxes a tab stop for code and tables, on load and on resize; this
extension adds a small inline script doing the same for MathJax's display containers, once MathJax
has typeset the page (and for inline formulas, which scroll in their own box on a phone). (Inline, from here: a ``.js`` file in ``_static/`` would be injected into every
page by Jupyter Book, which is why the book keeps none there.)
"""

from __future__ import annotations

from typing import Any


def _script_key(script: Any) -> tuple:
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (filename, getattr(script, "priority", None), tuple(sorted(attributes.items())))


def drop_duplicate_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Keep the first of several identical scripts of a page (in place: other handlers share the list)."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def replace_deprecated_roles(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Replace ``role="doc-biblioentry"`` by ``role="listitem"`` in the page body.

    docutils writes it on every entry of a bibliography (a ``div.citation`` inside a
    ``div.citation-list`` of role ``list``). DPUB-ARIA 1.1 deprecated the role, and axe-core reports
    a deprecated role as a WCAG 4.1.2 violation (``aria-deprecated-role``). ``listitem`` is what it
    stood for, and a list needs items (``aria-required-children``).
    """
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace(' role="doc-biblioentry"', ' role="listitem"')


#: Gives each display equation that overflows its box a tab stop (tabindex 0), and takes it away
#: again when the box is wide enough (after a resize). No aria-label: a screen reader reads the
#: formula itself (its assistive MathML), and ARIA forbids a label on an element without a role.
SCROLLABLE_MATH_JS = """
window.addEventListener("load", () => {
  const mark = () => document.querySelectorAll("div.math mjx-container, span.math").forEach(box => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
    }
  });
  const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
  (typeset || Promise.resolve()).then(mark);
  let timer;
  window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(mark, 200); });
});
"""


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", replace_deprecated_roles)
    app.add_js_file(None, body=SCROLLABLE_MATH_JS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
