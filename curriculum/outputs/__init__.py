"""Every file the build makes besides the web pages, one sibling package per output family.

All families have the same shape, and share the code here:

- ``inputs``:   what a family is made from: each page as MkDocs rendered it (macros rendered,
                district values filled in), so one registry edit reaches every format.
- ``plan``:     which files the build writes and which page links to each (its download buttons);
                the same plan drives the buttons, the link check and the renderers.
- ``cache``:    a content-hash cache: an unchanged document is never made again, in any format.
- ``pool``:     a fork-based process pool (the biggest jobs first), or in-process for a few jobs.
- ``progress``: "12 of 85 documents done" while a long stage runs.

Families: ``pdf`` (handouts, lesson plans, packets), ``docx`` (editable Word copies) and ``decks``
(slide decks: .pptx and a present view). None of this imports mkdocs.
"""
