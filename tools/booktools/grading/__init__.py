"""Sandboxed grading of submitted notebooks (see the instructor guide, "Grade submissions").

- :mod:`grading.spec`     what an assignment checks, read from its master notebook;
- :mod:`grading.sandbox`  one bubblewrap sandbox per submission, with limits;
- :mod:`grading.harness`  runs inside the sandbox: executes the notebook, serves answers;
- :mod:`grading.wire`     the plain-data format answers cross the sandbox wall in;
- :mod:`grading.checker`  runs the tests outside the sandbox, on those answers;
- :mod:`grading.engine`   grades one submission, or many in parallel;
- :mod:`grading.intake`   finds submissions in a folder, LMS subfolders or a zip;
- :mod:`grading.report`   scores CSV, LMS CSV and per-student feedback, written as grades arrive.
"""
