"""The book's command line, ``book``, and the modules behind it (``make`` runs them; see ``book --help``).

- :mod:`booktools.cli`          the ``book`` command: one subcommand per task, heavy imports inside each;
- :mod:`booktools.paths`        the repository root, what is not a book source, the table of contents;
- :mod:`booktools.kernel`       the kernels' environment and notebook execution (serial and parallel);
- :mod:`booktools.jupyterbook`  the one ``jupyter-book build`` command line;
- :mod:`booktools.build`        ``book build``: the HTML book, skipped when nothing changed;
- :mod:`booktools.student`      ``book student``: the student edition (no solutions);
- :mod:`booktools.pdf`          ``book pdf [--student]``: the PDF editions;
- :mod:`booktools.refresh`      ``book refresh``: re-execute chapters in place;
- :mod:`booktools.links`        ``book links``: check the built HTML's links;
- :mod:`booktools.assignments`  ``book assignments`` and ``book grade`` (engine: :mod:`booktools.grading`);
- :mod:`booktools.gradescope`, :mod:`booktools.kit_env`, :mod:`booktools.student_kit`: what leaves the
  repository (the Gradescope autograder zip, the student kit);
- :mod:`booktools.measure`      ``book measure``: build and test times;
- :mod:`booktools.logo`         ``book logo``: the logo and favicon;
- :mod:`booktools.modules`      ``book modules``: the map of ``regbook`` in ``CONTRIBUTING.md``.

Importing the package imports nothing else.
"""
