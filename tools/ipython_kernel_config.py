# Configuration of every IPython kernel started from the project's environment.
#
# `make venv` copies this file to .venv/etc/ipython/, one of the folders where IPython looks for a
# kernel's configuration (sys.prefix/etc/ipython), so it applies to every kernel of that environment:
# the chapter runs of nbval, `make refresh`, the book build and the grading of assignments.
#
# Those kernels talk to their client (nbclient, nbval, jupyter-book, otter) over TCP on the loopback
# interface of the same machine, and ipykernel 7 logs a warning at every start that the transport is
# not encrypted. It is true and harmless here (nothing leaves the machine), and it made a warning-free
# build print a warning for every chapter. The client chooses the transport, and jupyter-book and nbval
# offer no way to choose IPC, so the kernel's own log level is raised instead: the kernel application
# reports errors, not warnings. Exceptions in cells are not log messages: they still fail a build.
c = get_config()  # noqa: F821  (IPython provides get_config in configuration files)
c.IPKernelApp.log_level = "ERROR"
