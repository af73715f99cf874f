"""A local Sphinx extension (``sphinx.local_extensions`` in ``_config.yml``): the book's PDF editions.

Two jobs, one per builder.

**LaTeX builder** (``make pdf``, ``make student-pdf``; ``tools/booktools/pdf.py``). Jupyter Book runs
sphinx-jupyterbook-latex, which arranges the book's parts for LaTeX (the bibliography at the end,
hidden plotting code left out) but also brings two faults this extension corrects:

- its document class ``jupyterBook.cls`` requires the LaTeX package ``bbm``, which Debian ships only
  in the 500 MB ``texlive-fonts-extra``, and widens the text block past the margins set by geometry;
  the book uses Sphinx's own ``manual`` class instead (``latex_theme``), and defines the two
  environments the extension wraps around code cells (``sphinxVerbatimInput``/``Output``);
- for the first page of the book (the Introduction) it moves every subsection's content to the top
  of the page, which tears each exercise and solution away from its text (the admonitions come out
  empty, their bodies after them). :class:`RootDocToTopLevel` replaces that post-transform with one
  that only does the rest of its work: chapters at the top level, bibliographies at the end.

**HTML builder.** When the environment variable ``REGBOOK_PDF_DIR`` names a folder that holds this
edition's PDF -- the file :func:`pdf_name` of the book's title, so the student edition, whose title
differs, can never offer the instructor's PDF -- the file is copied into the HTML folder and every
page's download menu gets a link to it, above the page's ``.ipynb``/``.md``. ``tools/booktools/pdf.py``
and the Makefile's ``book``/``student-book`` targets set the variable to ``_build/pdf``. Without the
PDF the pages have no such link (a link to a missing file would be broken).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF_ENV = "REGBOOK_PDF_DIR"


def pdf_name(title: str) -> str:
    """The file name of a book's PDF: its title in lower case, words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower())) + ".pdf"


# --------------------------------------------------------------------------- LaTeX

VERBATIM_ENVIRONMENTS = r"""
% The chapters' secnumdepth, restored after an unnumbered page (see number_chapters_as_the_book_does).
\AtBeginDocument{\edef\regbooksecnumdepth{\the\value{secnumdepth}}}
% Code cells (sphinx-jupyterbook-latex wraps inputs and outputs in these): inputs on grey,
% outputs indented on white with a light frame.
\newenvironment{sphinxVerbatimInput}{}{}
\newenvironment{sphinxVerbatimOutput}
  {\sphinxsetup{VerbatimColor={RGB}{255,255,255},VerbatimBorderColor={RGB}{210,210,210}}%
   \begingroup\leftskip 1.5em\relax}
  {\endgroup}
"""


def use_sphinx_manual_class(app, config) -> None:
    """Undo sphinx-jupyterbook-latex's ``latex_theme = "jupyterBook"`` (runs after its handler)."""
    config.latex_theme = "manual"
    elements = dict(config.latex_elements)
    elements["preamble"] = VERBATIM_ENVIRONMENTS + elements.get("preamble", "")
    config.latex_elements = elements


def _replace_node(node: nodes.Element) -> None:
    """Remove ``node`` from its parent (its children are moved elsewhere by the caller)."""
    node.parent.remove(node)


class RootDocToTopLevel(SphinxPostTransform):
    """sphinx-jupyterbook-latex's root-document arrangement, without flattening the root's sections.

    On the assembled book (the root document with every chapter inlined): each toctree of the root
    document moves to the end of the document, so its chapters become top-level chapters rather
    than subsections of the Introduction; bibliographies move to the very end. The whole is then put
    under a section titled with the book's title, which Sphinx takes for the document's title, so
    that the Introduction is a chapter with sections, like the others.
    """

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        from sphinx_jupyterbook_latex.transforms import is_root_document

        if not is_root_document(self.document, self.app):
            return
        root = self.app.project.path2doc(self.document["source"])
        wrappers = [
            node for node in self.document.findall(nodes.compound)
            if "toctree-wrapper" in node["classes"] and node.get("docname") == root
        ]
        for node in wrappers:
            _replace_node(node)
            self.document.append(node)
        for node in list(self.document.findall(thebibliography)):
            _replace_node(node)
            self.document.append(node)
        drop_empty_pages(self.document)
        number_chapters_as_the_book_does(self.document, root)
        # Sphinx takes the first title of the document as the book's title and skips it, so that the
        # root page's sections would become chapters: give the document a title of its own, and the
        # Introduction is a chapter like the others.
        book = nodes.section("", nodes.title("", book_title(self.app.config)))
        book.extend(list(self.document.children))
        self.document.children = []
        self.document.append(book)


def _is_empty_page(page: addnodes.start_of_file) -> bool:
    """A page whose sections hold nothing but titles and targets (the references page, once its
    bibliography has moved to the end of the book)."""
    return all(
        isinstance(node, (nodes.title, nodes.target, nodes.section, nodes.Text, nodes.inline))
        for node in page.findall(include_self=False)
    )


def drop_empty_pages(document: nodes.document) -> None:
    for page in list(document.findall(addnodes.start_of_file)):
        if _is_empty_page(page):
            page.parent.remove(page)


def _latex(code: str) -> nodes.raw:
    return nodes.raw("", code + "\n", format="latex")


def number_chapters_as_the_book_does(document: nodes.document, root: str) -> None:
    """Chapter numbers as the text uses them: the Introduction is Chapter 0 and the content chapters
    (``chapters/``) follow from 1; pages between them (Notation) are unnumbered, and pages after the
    last chapter (glossary, instructor guide) are appendices."""
    pages = [node for node in document.findall(addnodes.start_of_file) if node.parent is not None]
    pages = [p for p in pages if isinstance(p.parent, nodes.compound) and p.parent.get("docname") == root]
    numbered = [i for i, page in enumerate(pages) if page["docname"].startswith("chapters/")]
    document.insert(0, _latex(r"\setcounter{chapter}{-1}"))
    if not numbered:
        return
    for index, page in enumerate(pages):
        if index < numbered[0] or (numbered[0] < index < numbered[-1] and index not in numbered):
            page.insert(0, _latex(r"\setcounter{secnumdepth}{-1}"))
            page.append(_latex(r"\setcounter{secnumdepth}{\regbooksecnumdepth}"))
        elif index == numbered[-1] + 1:
            page.insert(0, _latex(r"\appendix"))


def replace_root_doc_transform(app) -> None:
    from sphinx.builders.latex import LaTeXBuilder

    if not isinstance(app.builder, LaTeXBuilder):
        return
    from sphinx_jupyterbook_latex.transforms import LatexRootDocPostTransforms

    transforms = app.registry.post_transforms
    if LatexRootDocPostTransforms in transforms:
        transforms.remove(LatexRootDocPostTransforms)
    app.add_post_transform(RootDocToTopLevel)


# --------------------------------------------------------------------------- HTML


def book_title(config) -> str:
    return config.html_title or config.project


def offered_pdf(app) -> Path | None:
    """The PDF this HTML build links: this edition's PDF in ``$REGBOOK_PDF_DIR``, if it is there."""
    folder = os.environ.get(PDF_ENV)
    if not folder:
        return None
    path = Path(folder) / pdf_name(book_title(app.config))
    if not path.is_file():
        logger.info(f"no {path.name} in {PDF_ENV}={folder} (make pdf / make student-pdf): no PDF link")
        return None
    return path


def register_pdf(app, config) -> None:
    """Record the offered PDF's hash in a config value: a new PDF makes Sphinx rewrite every page."""
    path = offered_pdf(app)
    config.regbook_pdf = hashlib.sha256(path.read_bytes()).hexdigest() if path else ""


def add_pdf_link(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a link to the book's PDF in the page's download menu (sphinx-book-theme's header buttons)."""
    if not app.config.regbook_pdf or app.builder.format != "html":
        return
    name = pdf_name(book_title(app.config))
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(0, {
                "type": "link",
                "url": context["pathto"](name, 1),
                "text": "book .pdf",
                "tooltip": "Download the whole book as a PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def copy_pdf(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        path = offered_pdf(app)
        if path:
            (Path(app.outdir) / path.name).write_bytes(path.read_bytes())


def setup(app) -> dict[str, Any]:
    app.add_config_value("regbook_pdf", "", "html")
    app.connect("config-inited", use_sphinx_manual_class, priority=900)
    app.connect("config-inited", register_pdf)
    app.connect("builder-inited", replace_root_doc_transform, priority=900)
    # After sphinx-book-theme builds the header buttons (priority 501).
    app.connect("html-page-context", add_pdf_link, priority=600)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
