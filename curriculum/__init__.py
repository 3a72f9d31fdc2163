"""The curriculum engine: plain Python over Markdown front matter and built HTML.

Only ``mkdocs_plugin`` touches MkDocs; everything else can be used (and tested) without it.
"""

__version__ = "0.1.0"
